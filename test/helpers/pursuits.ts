import { createToken, type TokenPrincipal } from '../../src/auth/tokens.ts';
import type { AppContext } from '../../src/context.ts';

/** A real token and its principal, as the auth hook would set it. */
export function principal(
  ctx: AppContext,
  name: string,
  role: 'reader' | 'admin' = 'reader',
): TokenPrincipal & { token: string } {
  const t = createToken(ctx.dbh.db, { name, role });
  return { id: t.id, name: t.name, role: t.role, token: t.token };
}
