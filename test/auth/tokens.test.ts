import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import { createToken, listTokens, revokeToken, verifyToken } from '../../src/auth/tokens.ts';
import { dataGeneration } from '../../src/sql.ts';
import { useTestContext } from '../helpers/context.ts';

/** `data_version` of other connections is re-read after at most a millisecond (see dataGeneration). */
const otherCommitsShow = () => new Promise((r) => setTimeout(r, 5));

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

  it('remembers a verified token only while nothing was written: role changes and revocations apply at once', () => {
    const { dbh } = makeCtx();
    const t = createToken(dbh.db, { name: 'Projektleitung', role: 'reader' });
    expect(verifyToken(dbh.db, t.token)?.role).toBe('reader');
    expect(verifyToken(dbh.db, t.token)?.role).toBe('reader');
    dbh.sqlite.prepare(`update api_tokens set role = 'admin' where id = ?`).run(t.id);
    expect(verifyToken(dbh.db, t.token)?.role).toBe('admin');
    revokeToken(dbh.db, t.id);
    expect(verifyToken(dbh.db, t.token)).toBeUndefined();
  });

  it('sees a revocation by another process (the CLI) with the next request', async () => {
    const { dbh, config } = makeCtx();
    const t = createToken(dbh.db, { name: 'Team', role: 'reader' });
    expect(verifyToken(dbh.db, t.token)).toBeDefined();
    const cli = openDatabase(config.databasePath);
    try {
      expect(revokeToken(cli.db, t.id)).toBe(true);
    } finally {
      cli.close();
    }
    await otherCommitsShow();
    expect(verifyToken(dbh.db, t.token)).toBeUndefined();
  });

  it('keeps "last used" to the minute without voiding caches; real writes and other processes change the generation', async () => {
    const { dbh, config } = makeCtx();
    const t = createToken(dbh.db, { name: 'Team', role: 'reader' });
    const lastUsed = () =>
      (
        dbh.sqlite.prepare('select last_used_at as u from api_tokens where id = ?').get(t.id) as {
          u: string | null;
        }
      ).u;
    const t0 = new Date('2026-05-01T10:00:00Z');
    const before = dataGeneration(dbh.sqlite);
    verifyToken(dbh.db, t.token, t0);
    expect(lastUsed()).toBe(t0.toISOString());
    expect(dataGeneration(dbh.sqlite)).toBe(before);
    verifyToken(dbh.db, t.token, new Date(t0.getTime() + 30_000));
    expect(lastUsed()).toBe(t0.toISOString());
    const t2 = new Date(t0.getTime() + 61_000);
    verifyToken(dbh.db, t.token, t2);
    expect(lastUsed()).toBe(t2.toISOString());
    expect(dataGeneration(dbh.sqlite)).toBe(before);

    createToken(dbh.db, { name: 'another', role: 'reader' });
    const afterOwnWrite = dataGeneration(dbh.sqlite);
    expect(afterOwnWrite).not.toBe(before);
    const other = openDatabase(config.databasePath);
    try {
      createToken(other.db, { name: 'from the CLI', role: 'reader' });
    } finally {
      other.close();
    }
    await otherCommitsShow();
    expect(dataGeneration(dbh.sqlite)).not.toBe(afterOwnWrite);
  });
});
