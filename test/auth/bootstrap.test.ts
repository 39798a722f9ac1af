import { describe, expect, it } from 'vitest';
import { ensureBootstrapToken } from '../../src/auth/bootstrap.ts';
import { verifyToken } from '../../src/auth/tokens.ts';
import { useTestContext } from '../helpers/context.ts';

describe('ensureBootstrapToken', () => {
  const makeCtx = useTestContext();

  it('creates one admin token on an empty installation, and never again', () => {
    const { dbh } = makeCtx();
    const token = ensureBootstrapToken(dbh.db);
    expect(token).toBeDefined();
    expect(verifyToken(dbh.db, token!)).toMatchObject({ role: 'admin', name: 'bootstrap-admin' });
    expect(ensureBootstrapToken(dbh.db)).toBeUndefined();
  });
});
