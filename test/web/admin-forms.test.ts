import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import { createToken, listTokens } from '../../src/auth/tokens.ts';
import type { AppContext } from '../../src/context.ts';
import { listRuleSetVersions } from '../../src/matching/service.ts';
import { useTestContext } from '../helpers/context.ts';
import { PageClient } from '../helpers/web-inject.ts';

describe('administration forms without a browser: CSRF, roles', () => {
  const makeCtx = useTestContext();
  let ctx: AppContext;
  let app: App;
  beforeAll(async () => {
    ctx = makeCtx();
    app = await buildApp(ctx.config, { context: ctx });
  });
  afterAll(async () => app.close());

  const signedIn = async (role: 'reader' | 'admin') => {
    const c = new PageClient(app);
    await c.signIn(createToken(ctx.dbh.db, { name: `p-${role}`, role }).token);
    return c;
  };

  it('refuses admin forms without the session secret and changes nothing', async () => {
    const c = await signedIn('admin');
    const versions = listRuleSetVersions(ctx).length;
    const tokens = listTokens(ctx.dbh.db).length;
    for (const [url, form] of [
      ['/admin/rules/rollback/1', {}],
      ['/admin/tokens', { name: 'Mallory', role: 'admin' }],
      ['/admin/rules', { rules: '{}', comment: 'forged', action: 'save' }],
    ] as const) {
      const res = await c.post(url, { ...form, _csrf: 'wrong' });
      expect(res.statusCode, url).toBe(403);
    }
    expect(listRuleSetVersions(ctx).length).toBe(versions);
    expect(listTokens(ctx.dbh.db).length).toBe(tokens);
  });

  it('answers a reader 403 on admin forms, even with a valid secret', async () => {
    const c = await signedIn('reader');
    const csrf = PageClient.csrfOf((await c.get('/digest')).body);
    const tokens = listTokens(ctx.dbh.db).length;
    const res = await c.post('/admin/tokens', { _csrf: csrf, name: 'Escalation', role: 'admin' });
    expect(res.statusCode).toBe(403);
    expect(listTokens(ctx.dbh.db).length).toBe(tokens);
    expect((await c.post('/admin/rules/rollback/1', { _csrf: csrf })).statusCode).toBe(403);
  });

  it('shows a rule set that is not JSON as an error at (root), keeping the text', async () => {
    const c = await signedIn('admin');
    const csrf = PageClient.csrfOf((await c.get('/admin/rules')).body);
    const res = await c.post('/admin/rules', { _csrf: csrf, rules: '{"rules": [<b>', action: 'preview' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('(root)');
    expect(res.body).toContain('{&quot;rules&quot;: [&lt;b></textarea>');
  });
});
