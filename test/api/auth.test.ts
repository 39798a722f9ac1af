import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import { createToken, revokeToken } from '../../src/auth/tokens.ts';
import type { AppContext } from '../../src/context.ts';
import { useTestContext } from '../helpers/context.ts';

describe('API access', () => {
  const makeCtx = useTestContext();
  let app: App;
  let ctx: AppContext;

  beforeAll(async () => {
    ctx = makeCtx();
    app = await buildApp(ctx.config, { context: ctx });
    app.get('/api/test-admin-only', { config: { role: 'admin' } }, async () => ({ ok: true }));
  });
  afterAll(async () => app.close());

  it('answers 401 problem+json without a token, and for an unknown or revoked one', async () => {
    const none = await app.inject({ method: 'GET', url: '/api/action-fields' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['content-type']).toContain('application/problem+json');
    expect(none.headers['www-authenticate']).toContain('Bearer');
    expect(none.json().code).toBe('UNAUTHORIZED');

    const t = createToken(ctx.dbh.db, { name: 'r', role: 'reader' });
    const ok = await app.inject({
      url: '/api/action-fields',
      headers: { authorization: `Bearer ${t.token}` },
    });
    expect(ok.statusCode).toBe(200);
    revokeToken(ctx.dbh.db, t.id);
    const revoked = await app.inject({
      url: '/api/action-fields',
      headers: { authorization: `Bearer ${t.token}` },
    });
    expect(revoked.statusCode).toBe(401);
    const bogus = await app.inject({
      url: '/api/action-fields',
      headers: { authorization: 'Bearer fm_nope' },
    });
    expect(bogus.statusCode).toBe(401);
  });

  it('answers 403 when the role is too low, and does not accept ?token= on normal routes', async () => {
    const reader = createToken(ctx.dbh.db, { name: 'r2', role: 'reader' });
    const admin = createToken(ctx.dbh.db, { name: 'a', role: 'admin' });
    const r = await app.inject({
      url: '/api/test-admin-only',
      headers: { authorization: `Bearer ${reader.token}` },
    });
    expect(r.statusCode).toBe(403);
    expect(r.json().code).toBe('FORBIDDEN');
    const a = await app.inject({
      url: '/api/test-admin-only',
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(a.statusCode).toBe(200);
    const q = await app.inject({ url: `/api/action-fields?token=${reader.token}` });
    expect(q.statusCode).toBe(401);
  });

  it('accepts the bearer scheme in any case (RFC 9110), and nothing but a bearer token', async () => {
    const t = createToken(ctx.dbh.db, { name: 'case', role: 'reader' });
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
      const res = await app.inject({
        url: '/api/action-fields',
        headers: { authorization: `${scheme} ${t.token}` },
      });
      expect(res.statusCode, scheme).toBe(200);
    }
    const basic = await app.inject({
      url: '/api/action-fields',
      headers: { authorization: `Basic ${t.token}` },
    });
    expect(basic.statusCode).toBe(401);
  });

  it('keeps /health, /ready and the docs open', async () => {
    for (const url of ['/health', '/ready', '/openapi.json']) {
      expect((await app.inject({ url })).statusCode).toBe(200);
    }
  });
});
