import { describe, expect, it } from 'vitest';
import { createToken, listTokens, revokeToken, verifyToken } from '../../src/auth/tokens.ts';
import { useTestContext } from '../helpers/context.ts';

describe('API tokens', () => {
  const makeCtx = useTestContext();

  it('stores only a hash, verifies, and stops working once revoked', () => {
    const { dbh } = makeCtx();
    const t = createToken(dbh.db, { name: 'Fördermittel-Team', role: 'reader' });
    expect(t.token).toMatch(/^fm_[A-Za-z0-9_-]{32}$/);
    const stored = dbh.sqlite.prepare('select token_hash from api_tokens').get() as { token_hash: string };
    expect(stored.token_hash).not.toContain(t.token);
    expect(verifyToken(dbh.db, t.token)).toEqual({ id: t.id, name: 'Fördermittel-Team', role: 'reader' });
    expect(verifyToken(dbh.db, `${t.token}x`)).toBeUndefined();
    expect(revokeToken(dbh.db, t.id)).toBe(true);
    expect(revokeToken(dbh.db, t.id)).toBe(false);
    expect(verifyToken(dbh.db, t.token)).toBeUndefined();
    expect(listTokens(dbh.db)[0]!.revokedAt).not.toBeNull();
  });
});
