import type { TokenPrincipal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { assertCanEdit } from './access.ts';
import { getPursuit } from './get.ts';

/** The owner has seen the call's changes: the pursuit stops showing them as new. */
export function markAlertsSeen(
  ctx: AppContext,
  principal: TokenPrincipal,
  id: number,
  now = new Date(),
): number {
  assertCanEdit(principal, getPursuit(ctx, id, now));
  return ctx.dbh.sqlite
    .prepare('update pursuit_alerts set seen_at = ? where pursuit_id = ? and seen_at is null')
    .run(now.toISOString(), id).changes;
}
