import type { TokenPrincipal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { assertCanEdit } from './access.ts';
import { getPursuitDetail } from './get.ts';
import { actorOf } from './history.ts';

/**
 * Deletes a pursuit created by mistake. Its history goes with it, so the whole record is kept
 * in the audit log first (dropping a real pursuit is the status `verworfen`, not a delete).
 */
export function removePursuit(
  ctx: AppContext,
  principal: TokenPrincipal,
  id: number,
  now = new Date(),
): void {
  const detail = getPursuitDetail(ctx, id, now);
  assertCanEdit(principal, detail);
  const s = ctx.dbh.sqlite;
  s.transaction(() => {
    s.prepare('insert into audit_log (at, actor, action, target, details) values (?, ?, ?, ?, ?)').run(
      now.toISOString(),
      actorOf(principal),
      'pursuit.delete',
      String(id),
      JSON.stringify(detail),
    );
    s.prepare('delete from pursuits where id = ?').run(id);
  })();
}
