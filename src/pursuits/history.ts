import type { AppContext } from '../context.ts';

/** One history row per changed field; call inside the transaction that makes the change. */
export function recordHistory(
  ctx: AppContext,
  pursuitId: number,
  actor: string,
  at: string,
  changes: readonly { field: string; from: unknown; to: unknown }[],
): void {
  const ins = ctx.dbh.sqlite.prepare(
    'insert into pursuit_history (pursuit_id, at, actor, field, old_value, new_value) values (?, ?, ?, ?, ?, ?)',
  );
  for (const c of changes)
    ins.run(
      pursuitId,
      at,
      actor,
      c.field,
      c.from === undefined ? null : JSON.stringify(c.from),
      c.to === undefined ? null : JSON.stringify(c.to),
    );
}

/** `name (#id)`: names of tokens need not be unique. */
export const actorOf = (p: { id: number; name: string }) => `${p.name} (#${p.id})`;
