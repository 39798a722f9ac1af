import type { TokenPrincipal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { AppError, zodDetails } from '../errors.ts';
import { assertCanEdit } from './access.ts';
import { getPursuit } from './get.ts';
import { actorOf, recordHistory } from './history.ts';
import { type Pursuit, type UpdatePursuitInput, updatePursuitSchema } from './model.ts';
import { checkReferences } from './validate.ts';

const columns = {
  ownerTokenId: 'owner_token_id',
  ownerEmail: 'owner_email',
  ownerLanguage: 'owner_language',
  amountApplied: 'amount_applied',
  amountGranted: 'amount_granted',
  partners: 'partners',
  partnersText: 'partners_text',
} as const;

function current(p: Pursuit, field: keyof typeof columns | 'measures'): unknown {
  switch (field) {
    case 'measures':
      return p.measures;
    case 'ownerTokenId':
      return p.owner.tokenId;
    case 'ownerEmail':
      return p.owner.email;
    case 'ownerLanguage':
      return p.owner.language;
    default:
      return p[field];
  }
}

/**
 * Changes the fields given (status moves go through `movePursuit`). Each changed field is one
 * history row; fields sent with their current value change nothing. A granted amount belongs
 * to a granted pursuit only.
 */
export function updatePursuit(
  ctx: AppContext,
  principal: TokenPrincipal,
  id: number,
  raw: UpdatePursuitInput,
  now = new Date(),
): Pursuit {
  const parsed = updatePursuitSchema.safeParse(raw);
  if (!parsed.success)
    throw new AppError('VALIDATION_FAILED', 'Ungültige Änderung / invalid change', {
      details: zodDetails(parsed.error.issues),
    });
  const input = parsed.data;
  const before = getPursuit(ctx, id, now);
  assertCanEdit(principal, before);
  checkReferences(ctx, input);
  if (input.amountGranted != null && before.status !== 'bewilligt')
    throw new AppError(
      'CONFLICT',
      'Ein bewilligter Betrag setzt den Status "bewilligt" voraus. / A granted amount needs the status "bewilligt".',
      {
        details: [{ path: 'body.amountGranted', message: `status is ${before.status}` }],
      },
    );
  const next: Record<string, unknown> = {
    ...input,
    ...(input.measures ? { measures: [...new Set(input.measures)].sort() } : {}),
    ...(input.partners ? { partners: [...new Set(input.partners)] } : {}),
  };
  const changes = Object.entries(next)
    .filter(([, v]) => v !== undefined)
    .map(([field, to]) => ({ field, from: current(before, field as keyof typeof columns), to }))
    .filter((c) => JSON.stringify(c.from) !== JSON.stringify(c.to));
  if (changes.length === 0) return before;
  const s = ctx.dbh.sqlite;
  const at = now.toISOString();
  s.transaction(() => {
    for (const c of changes) {
      if (c.field === 'measures') {
        s.prepare('delete from pursuit_measures where pursuit_id = ?').run(id);
        const add = s.prepare('insert into pursuit_measures (pursuit_id, measure_id) values (?, ?)');
        for (const m of c.to as string[]) add.run(id, m);
        continue;
      }
      const col = columns[c.field as keyof typeof columns];
      s.prepare(`update pursuits set ${col} = ? where id = ?`).run(
        c.field === 'partners' ? JSON.stringify(c.to) : (c.to as string | number | null),
        id,
      );
    }
    s.prepare('update pursuits set updated_at = ? where id = ?').run(at, id);
    recordHistory(ctx, id, actorOf(principal), at, changes);
  })();
  return getPursuit(ctx, id, now);
}
