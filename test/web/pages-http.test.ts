import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import { createToken, verifyToken } from '../../src/auth/tokens.ts';
import type { AppContext } from '../../src/context.ts';
import { callCount, loadDemo } from '../../src/demo/load.ts';
import { subscribeSelf } from '../../src/digest/own-subscription.ts';
import { isAppError } from '../../src/errors.ts';
import { useTestContext } from '../helpers/context.ts';
import { PageClient } from '../helpers/web-inject.ts';

/** Page routes over HTTP without a browser: roles, CSRF, errors as pages, exports, demo data. */
describe('web pages over HTTP', () => {
  const makeCtx = useTestContext();
  let ctx: AppContext;
  let app: App;
  let admin: PageClient;
  let reader: PageClient;
  beforeAll(async () => {
    ctx = makeCtx({ PUBLIC_BASE_URL: 'https://fm.example.org' });
    app = await buildApp(ctx.config, { context: ctx });
    admin = new PageClient(app);
    await admin.signIn(createToken(ctx.dbh.db, { name: 'Ada', role: 'admin' }).token);
    reader = new PageClient(app);
    await reader.signIn(createToken(ctx.dbh.db, { name: 'Rita', role: 'reader' }).token);
  });
  afterAll(async () => app.close());

  it('loads demo data only on an administrator’s request with the form secret, and only into an empty database', async () => {
    const readerStart = await reader.get('/');
    expect(readerStart.body).toContain('Bitten Sie die Administration, Daten zu laden.');
    expect(readerStart.body).not.toContain('action="/demo"');
    const denied = await reader.post('/demo', { _csrf: PageClient.csrfOf(readerStart.body) });
    expect(denied.statusCode).toBe(403);
    expect(callCount(ctx)).toBe(0);

    const forged = await admin.post('/demo', { _csrf: 'x'.repeat(43) });
    expect(forged.statusCode).toBe(403);
    expect(callCount(ctx)).toBe(0);

    const start = await admin.get('/');
    const ok = await admin.post('/demo', { _csrf: PageClient.csrfOf(start.body) });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toMatch(/^\/\?demo=\d+$/);
    const n = callCount(ctx);
    expect(n).toBeGreaterThan(100);
    const matched = ctx.dbh.sqlite
      .prepare('select count(distinct call_id) from matches')
      .pluck()
      .get() as number;
    expect(matched).toBeGreaterThan(n / 2); // calls with no fit anywhere keep no rows
    // Per role: administrators see the sources' health first, readers the calls first.
    const adminStart = (await admin.get('/')).body;
    expect(adminStart.indexOf('id="sources-title"')).toBeLessThan(adminStart.indexOf('id="soon-title"'));
    const readerStartFull = (await reader.get('/')).body;
    expect(readerStartFull.indexOf('id="soon-title"')).toBeLessThan(
      readerStartFull.indexOf('id="sources-title"'),
    );
    expect(readerStartFull.indexOf('id="soon-title"')).toBeGreaterThan(0);
    // Past deadlines are closed: status is computed, not recorded.
    const closed = await admin.get('/search?status=closed');
    expect(closed.body).toMatch(/[1-9]\d* Treffer/);

    const again = (() => {
      try {
        loadDemo(ctx);
        return undefined;
      } catch (err) {
        return err;
      }
    })();
    expect(isAppError(again) && again.code).toBe('CONFLICT');
    expect(callCount(ctx)).toBe(n);
  });

  it('shows closing deadlines for the fields of the person’s own digest subscription, else for all', async () => {
    if (callCount(ctx) === 0) loadDemo(ctx);
    const { token } = createToken(ctx.dbh.db, { name: 'Tom', role: 'reader' });
    const tom = new PageClient(app);
    await tom.signIn(token);
    expect((await tom.get('/')).body).toContain('Auswahl: alle Handlungsfelder');
    subscribeSelf(ctx, verifyToken(ctx.dbh.db, token)!, {
      name: 'Tom',
      email: 'tom@kiel.example',
      language: 'de',
      actionFields: ['ostseeraum'],
      measures: [],
      minScore: 40,
      cadence: 'weekly',
    });
    const mine = (await tom.get('/')).body;
    expect(mine).toContain('Fristen in den nächsten 8 Wochen – Ihre Handlungsfelder');
    expect(mine).toContain('Auswahl: Ihre Digest-Abos');
  });

  it('answers errors as pages: unknown call or measure, bad filters, bad feedback', async () => {
    const call = await reader.get('/calls/eu-ft%3Anope');
    expect(call.statusCode).toBe(404);
    expect(call.headers['content-type']).toContain('text/html');
    expect(call.body).toContain('Diese Seite gibt es nicht.');
    expect((await reader.get('/measures/nope-1')).statusCode).toBe(404);

    const bad = await reader.get('/search?deadlineFrom=2026-13-45&minScore=500');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('role="alert"');
    expect(bad.body).toContain('deadlineFrom');
    expect(bad.body).toContain('minScore');
    expect(bad.body).toContain('value="2026-13-45"'); // the form keeps what was typed

    const page = await reader.get('/fields/staedtepartnerschaften');
    const csrf = PageClient.csrfOf(page.body);
    const verdict = await reader.post('/feedback', {
      _csrf: csrf,
      callId: 'x:y',
      target: 'europa',
      verdict: 'maybe',
    });
    expect(verdict.statusCode).toBe(400);
    const unknown = await reader.post('/feedback', {
      _csrf: csrf,
      callId: 'eu-ft:nope',
      target: 'europa',
      verdict: 'relevant',
    });
    expect(unknown.statusCode).toBe(404);
    expect(ctx.dbh.sqlite.prepare('select count(*) from feedback').pluck().get()).toBe(0);
  });

  it('sends a feedback form back to the page it came from, never elsewhere', async () => {
    const page = await reader.get('/measures/staedtepartnerschaften-1');
    const callId = /name="callId" value="([^"]+)"/.exec(page.body)![1]!;
    const res = await reader.post('/feedback', {
      _csrf: PageClient.csrfOf(page.body),
      callId: callId.replaceAll('&amp;', '&'),
      target: 'staedtepartnerschaften-1',
      verdict: 'relevant',
      back: '//evil.example/x',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/\?saved=relevant&call=/);
  });

  it('exports with the session, and makes a calendar subscription link whose token the feeds accept', async () => {
    const csv = await reader.get('/export/calls.csv?q=St%C3%A4dtepartnerschaft&status=');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n').length).toBeGreaterThan(2);
    const signedOut = await app.inject({ url: '/export/calls.csv' });
    expect(signedOut.statusCode).toBe(303);

    const page = await reader.get('/fields/staedtepartnerschaften');
    const made = await reader.post('/export/subscription', {
      _csrf: PageClient.csrfOf(page.body),
      actionField: 'staedtepartnerschaften',
      back: '/fields/staedtepartnerschaften',
    });
    expect(made.statusCode).toBe(200);
    const ics = /id="ics-url"[^>]*value="([^"]+)"/.exec(made.body)![1]!.replaceAll('&amp;', '&');
    expect(ics).toMatch(
      /^https:\/\/fm\.example\.org\/api\/calendar\.ics\?actionField=staedtepartnerschaften&token=fm_/,
    );
    const url = new URL(ics);
    const cal = await app.inject({ url: `${url.pathname}${url.search}` });
    expect(cal.statusCode).toBe(200);
    expect(cal.body).toContain('BEGIN:VCALENDAR');
    const tokens = ctx.dbh.sqlite
      .prepare("select role from api_tokens where name like 'Kalender-Abo Rita:%'")
      .all();
    expect(tokens).toEqual([{ role: 'reader' }]);

    // Feed entries link to the call's page, not to the JSON API.
    const atom = await app.inject({
      url: `/api/feed.atom?minScore=1&token=${url.searchParams.get('token')}`,
    });
    expect(atom.statusCode).toBe(200);
    expect(atom.body).toContain('https://fm.example.org/calls/');
    expect(atom.body).not.toContain('https://fm.example.org/api/calls/');
  });
});
