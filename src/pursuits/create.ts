import type { TokenPrincipal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { AppError, zodDetails } from '../errors.ts';
import { getPursuit } from './get.ts';
import { actorOf, recordHistory } from './history.ts';
import { type CreatePursuitInput, createPursuitSchema, type Pursuit } from './model.ts';
import { checkReferences } from './validate.ts';

/**
 * Takes a call into the pipeline as `beobachtet`. The creating token owns it unless an admin
 * names another owner. Changes to the call that were recorded before today are not alerted.
 */
export function createPursuit(
  ctx: AppContext,
  principal: TokenPrincipal,
  raw: CreatePursuitInput,
  now = new Date(),
): Pursuit {
  const parsed = createPursuitSchema.safeParse(raw);
  if (!parsed.success)
    throw new AppError('VALIDATION_FAILED', 'Ungültiges Vorhaben / invalid pursuit', {
      details: zodDetails(parsed.error.issues),
    });
  const input = parsed.data;
  if (input.ownerTokenId !== undefined && input.ownerTokenId !== principal.id && principal.role !== 'admin')
    throw new AppError(
      'FORBIDDEN',
      'Nur Admins legen Vorhaben für andere an. / Only admins create pursuits for someone else.',
    );
  const ownerTokenId = input.ownerTokenId ?? principal.id;
  checkReferences(ctx, { measures: input.measures, partners: input.partners, ownerTokenId });
  const s = ctx.dbh.sqlite;
  if (!s.prepare('select 1 from calls where id = ?').get(input.callId))
    throw new AppError('VALIDATION_FAILED', `Aufruf "${input.callId}" gibt es nicht / no such call.`, {
      details: [{ path: 'body.callId', message: 'unknown call' }],
    });
  const at = now.toISOString();
  const measures = [...new Set(input.measures)].sort();
  const partners = [...new Set(input.partners)];
  const id = s.transaction(() => {
    const seen = s
      .prepare('select coalesce(max(id), 0) as m from call_changes where call_id = ?')
      .get(input.callId) as {
      m: number;
    };
    const info = s
      .prepare(
        `insert into pursuits (call_id, owner_token_id, owner_email, owner_language, status, amount_applied,
           partners, partners_text, changes_seen_id, created_at, updated_at)
         values (?, ?, ?, ?, 'beobachtet', ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.callId,
        ownerTokenId,
        input.ownerEmail,
        input.ownerLanguage,
        input.amountApplied ?? null,
        JSON.stringify(partners),
        input.partnersText ?? null,
        seen.m,
        at,
        at,
      );
    const pid = Number(info.lastInsertRowid);
    const addMeasure = s.prepare('insert into pursuit_measures (pursuit_id, measure_id) values (?, ?)');
    for (const m of measures) addMeasure.run(pid, m);
    recordHistory(ctx, pid, actorOf(principal), at, [
      {
        field: 'created',
        from: null,
        to: { callId: input.callId, measures, ownerTokenId, status: 'beobachtet' },
      },
    ]);
    if (input.note)
      s.prepare(
        'insert into pursuit_notes (pursuit_id, author_token_id, author, at, text) values (?, ?, ?, ?, ?)',
      ).run(pid, principal.id, principal.name, at, input.note);
    return pid;
  })();
  return getPursuit(ctx, id, now);
}
