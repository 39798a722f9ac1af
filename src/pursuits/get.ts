import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { Pursuit, PursuitAlert, PursuitDetail, PursuitHistoryEntry, PursuitNote } from './model.ts';
import { readPursuits } from './read.ts';

/** One pursuit, or NOT_FOUND. */
export function getPursuit(ctx: AppContext, id: number, now = new Date()): Pursuit {
  const p = readPursuits(ctx, 'p.id = ?', [id], now)[0];
  if (!p) throw new AppError('NOT_FOUND', `Vorhaben ${id} gibt es nicht / no pursuit ${id}.`);
  return p;
}

/** One pursuit with its notes, full history and call-change alerts (newest first). */
export function getPursuitDetail(ctx: AppContext, id: number, now = new Date()): PursuitDetail {
  const p = getPursuit(ctx, id, now);
  const s = ctx.dbh.sqlite;
  const notes = s
    .prepare(
      `select id, author, author_token_id as authorTokenId, at, text from pursuit_notes
       where pursuit_id = ? order by at desc, id desc`,
    )
    .all(id) as PursuitNote[];
  const history = (
    s
      .prepare(
        `select at, actor, field, old_value as "from", new_value as "to" from pursuit_history
         where pursuit_id = ? order by id`,
      )
      .all(id) as { at: string; actor: string; field: string; from: string | null; to: string | null }[]
  ).map(
    (h): PursuitHistoryEntry => ({
      ...h,
      from: h.from === null ? null : JSON.parse(h.from),
      to: h.to === null ? null : JSON.parse(h.to),
    }),
  );
  const alerts = (
    s
      .prepare(
        'select id, at, changes, seen_at as seenAt from pursuit_alerts where pursuit_id = ? order by id desc',
      )
      .all(id) as { id: number; at: string; changes: string; seenAt: string | null }[]
  ).map((a): PursuitAlert => ({ ...a, changes: JSON.parse(a.changes) }));
  return { ...p, notes, history, alerts };
}
