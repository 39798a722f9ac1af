import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import { createToken, revokeToken } from '../../src/auth/tokens.ts';
import type { AppContext } from '../../src/context.ts';
import { safeReturnPath } from '../../src/web/view.ts';
import { useTestContext } from '../helpers/context.ts';
import { PageClient } from '../helpers/web-inject.ts';

describe('web sessions', () => {
  const makeCtx = useTestContext();
  let ctx: AppContext;
  let app: App;
  beforeAll(async () => {
    ctx = makeCtx();
    app = await buildApp(ctx.config, { context: ctx });
  });
  afterAll(async () => app.close());

  it('redirects a signed-out visitor to sign-in with the return path, and back after sign-in', async () => {
    const c = new PageClient(app);
    const first = await c.get('/?x=1&y=%C3%A4');
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe(`/sign-in?next=${encodeURIComponent('/?x=1&y=%C3%A4')}`);
    const token = createToken(ctx.dbh.db, { name: 'Ana', role: 'reader' }).token;
    const signedIn = await c.signIn(token, '/?x=1&y=%C3%A4');
    expect(signedIn.statusCode).toBe(303);
    expect(signedIn.headers.location).toBe('/?x=1&y=%C3%A4');
    const cookie = [signedIn.headers['set-cookie']].flat().find((l) => l?.startsWith('fm_session='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const start = await c.get('/');
    expect(start.statusCode).toBe(200);
    expect(start.body).toContain('Ana');
  });

  it('accepts only same-origin relative return paths', () => {
    expect(safeReturnPath('/calls/3?lang=en')).toBe('/calls/3?lang=en');
    for (const bad of [
      '//evil.example/x',
      '/\\evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      '/%0d%0aSet-Cookie:x',
      '/a\nb',
      '',
      '/sign-in?next=//evil',
      undefined,
    ]) {
      const out = safeReturnPath(bad);
      expect(out.startsWith('/') && !out.startsWith('//')).toBe(true);
      expect(out.includes('evil')).toBe(false);
    }
  });

  it('shows an error for an unknown token and opens no session', async () => {
    const c = new PageClient(app);
    const res = await c.signIn('fm_not-a-real-token');
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('unbekannt oder widerrufen');
    expect(c.cookies.has('fm_session')).toBe(false);
  });

  it('refuses forms without the CSRF secret: sign-in and sign-out', async () => {
    const token = createToken(ctx.dbh.db, { name: 'Ben', role: 'reader' }).token;
    const c = new PageClient(app);
    // No pre-session cookie and no field: a cross-site login attempt.
    const login = await c.post('/sign-in', { token });
    expect(login.statusCode).toBe(403);
    expect(c.cookies.has('fm_session')).toBe(false);
    await c.signIn(token);
    const out = await c.post('/sign-out', { _csrf: 'forged' });
    expect(out.statusCode).toBe(403);
    expect((await c.get('/')).statusCode).toBe(200); // still signed in
  });

  it('ends the session on sign-out and when the token is revoked', async () => {
    const t = createToken(ctx.dbh.db, { name: 'Cem', role: 'reader' });
    const c = new PageClient(app);
    await c.signIn(t.token);
    const stolen = c.cookies.get('fm_session')!;
    const page = await c.get('/');
    const out = await c.post('/sign-out', { _csrf: PageClient.csrfOf(page.body) });
    expect(out.headers.location).toBe('/sign-in?notice=out');
    // The old cookie value no longer opens anything, even if replayed.
    const replay = new PageClient(app);
    replay.cookies.set('fm_session', stolen);
    expect((await replay.get('/')).statusCode).toBe(303);

    const d = new PageClient(app);
    await d.signIn(t.token);
    expect((await d.get('/')).statusCode).toBe(200);
    revokeToken(ctx.dbh.db, t.id);
    expect((await d.get('/')).statusCode).toBe(303);
  });

  it('keeps the JSON API on bearer tokens: a session cookie opens no /api route', async () => {
    const c = new PageClient(app);
    await c.signIn(createToken(ctx.dbh.db, { name: 'Dana', role: 'admin' }).token);
    const res = await app.inject({
      url: '/api/action-fields',
      headers: { cookie: `fm_session=${c.cookies.get('fm_session')}` },
    });
    expect(res.statusCode).toBe(401);
  });

  it('sends pages with a CSP without unsafe-inline, no-store, and the language of ?lang / the cookie', async () => {
    const c = new PageClient(app);
    const de = await c.get('/sign-in');
    const csp = String(de.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(de.headers['cache-control']).toBe('no-store');
    expect(de.body).toContain('<html lang="de">');
    const en = await c.get('/sign-in?lang=en');
    expect(en.body).toContain('<html lang="en">');
    expect((await c.get('/sign-in')).body).toContain('<html lang="en">'); // remembered
    expect((await c.get('/sign-in?lang=xx')).body).toContain('<html lang="en">'); // unknown: ignored
  });

  it('serves the stylesheet without a session', async () => {
    const css = await app.inject({ url: '/static/style.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toContain('text/css');
  });
});

describe('web sessions behind https', () => {
  const makeCtx = useTestContext();
  it('marks the session cookie Secure when PUBLIC_BASE_URL is https', async () => {
    const ctx = makeCtx({ PUBLIC_BASE_URL: 'https://foerdermatch.example' });
    const app = await buildApp(ctx.config, { context: ctx });
    try {
      const c = new PageClient(app);
      const res = await c.signIn(createToken(ctx.dbh.db, { name: 'Eva', role: 'reader' }).token);
      const cookie = [res.headers['set-cookie']].flat().find((l) => l?.startsWith('fm_session='));
      expect(cookie).toMatch(/; Secure/);
    } finally {
      await app.close();
    }
  });
});
