import type { TokenPrincipal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { AppError, zodDetails } from '../errors.ts';
import { assertCanEdit } from './access.ts';
import { getPursuit } from './get.ts';
import { actorOf, recordHistory } from './history.ts';
import { type MovePursuitInput, movePursuitSchema, type Pursuit } from './model.ts';
import { assertLegalMove } from './status.ts';

/**
 * Moves a pursuit to another status if the move is legal (src/pursuits/status.ts), with the
 * amounts that belong to the move (applied when submitting, granted when granted) and an
 * optional note, all in one transaction. The compare-and-set on the old status makes two
 * concurrent moves from the same status end with one CONFLICT, not two moves.
 */
export function movePursuit(
  ctx: AppContext,
  principal: TokenPrincipal,
  id: number,
  raw: MovePursuitInput,
  now = new Date(),
): Pursuit {
  const parsed = movePursuitSchema.safeParse(raw);
  if (!parsed.success)
    throw new AppError('VALIDATION_FAILED', 'Ungültiger Statuswechsel / invalid move', {
      details: zodDetails(parsed.error.issues),
    });
  const input = parsed.data;
  const before = getPursuit(ctx, id, now);
  assertCanEdit(principal, before);
  assertLegalMove(before.status, input.status);
  if (input.amountGranted !== undefined && input.status !== 'bewilligt')
    throw new AppError(
      'CONFLICT',
      'Ein bewilligter Betrag gehört zu "bewilligt". / A granted amount belongs to "bewilligt".',
      {
        details: [{ path: 'body.amountGranted', message: 'only with status bewilligt' }],
      },
    );
  const s = ctx.dbh.sqlite;
  const at = now.toISOString();
  const changes: { field: string; from: unknown; to: unknown }[] = [
    { field: 'status', from: before.status, to: input.status },
  ];
  if (input.amountApplied !== undefined && input.amountApplied !== before.amountApplied)
    changes.push({ field: 'amountApplied', from: before.amountApplied, to: input.amountApplied });
  if (input.amountGranted !== undefined && input.amountGranted !== before.amountGranted)
    changes.push({ field: 'amountGranted', from: before.amountGranted, to: input.amountGranted });
  s.transaction(() => {
    const r = s
      .prepare(
        `update pursuits set status = ?, amount_applied = coalesce(?, amount_applied),
           amount_granted = coalesce(?, amount_granted), updated_at = ? where id = ? and status = ?`,
      )
      .run(input.status, input.amountApplied ?? null, input.amountGranted ?? null, at, id, before.status);
    if (r.changes !== 1)
      throw new AppError(
        'CONFLICT',
        `Vorhaben ${id} wurde gerade geändert; bitte neu laden. / Pursuit ${id} changed meanwhile; reload.`,
      );
    recordHistory(ctx, id, actorOf(principal), at, changes);
    if (input.note)
      s.prepare(
        'insert into pursuit_notes (pursuit_id, author_token_id, author, at, text) values (?, ?, ?, ?, ?)',
      ).run(id, principal.id, principal.name, at, input.note);
  })();
  return getPursuit(ctx, id, now);
}
