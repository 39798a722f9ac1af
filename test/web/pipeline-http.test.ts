import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import { createToken } from '../../src/auth/tokens.ts';
import { callFromLine } from '../../src/calls/import-jsonl.ts';
import { upsertCall } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import { matchCalls } from '../../src/matching/service.ts';
import { getPursuit } from '../../src/pursuits/get.ts';
import { listPursuits } from '../../src/pursuits/list.ts';
import { useTestContext } from '../helpers/context.ts';
import { PageClient } from '../helpers/web-inject.ts';

let CALL = 'CERV-2027-CITIZENS-TOWN-NT';

/** Pipeline pages without a browser: bad input, form secret, exports, call page form. */
describe('pipeline pages over HTTP', () => {
  const makeCtx = useTestContext();
  let ctx: AppContext;
  let app: App;
  let owner: PageClient;
  beforeAll(async () => {
    ctx = makeCtx({ PUBLIC_BASE_URL: 'https://fm.example.org' });
    app = await buildApp(ctx.config, { context: ctx });
    ctx.dbh.db.transaction((tx) => {
      const { call } = callFromLine(
        {
          id: CALL,
          source: 'eu-ft',
          title: 'Netzwerke von Partnerstädten 2027',
          summary: 'Networks of towns: town twinning for municipalities and partner cities.',
          applicants: 'Towns and municipalities',
          deadlines: [`${new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)}T17:00`],
        },
        new Date(),
      );
      upsertCall(tx, call);
      CALL = call.id; // the stored id (the import prefixes the source)
    });
    matchCalls(ctx);
    owner = new PageClient(app);
    await owner.signIn(createToken(ctx.dbh.db, { name: 'Olga', role: 'reader' }).token);
  });
  afterAll(async () => app.close());

  const form = async (path: string) => PageClient.csrfOf((await owner.get(path)).body);

  it('refuses bad input with a page naming the field, and creates nothing', async () => {
    const csrf = await form('/pipeline');
    const base = { _csrf: csrf, callId: CALL, measures: 'staedtepartnerschaften-1', ownerLanguage: 'de' };
    const badEmail = await owner.post('/pipeline', { ...base, ownerEmail: 'not-an-address' });
    expect(badEmail.statusCode).toBe(400);
    expect(badEmail.headers['content-type']).toContain('text/html');
    expect(badEmail.body).toContain('ownerEmail: expected an email address');
    const unknownCall = await owner.post('/pipeline', {
      ...base,
      callId: 'nope',
      ownerEmail: 'o@kiel.example',
    });
    expect(unknownCall.statusCode).toBe(400);
    const noMeasure = await owner.post('/pipeline', { ...base, measures: '', ownerEmail: 'o@kiel.example' });
    expect(noMeasure.statusCode).toBe(400);
    expect(noMeasure.body).toContain('at least one measure');
    const forged = await owner.post('/pipeline', {
      ...base,
      _csrf: 'x'.repeat(43),
      ownerEmail: 'o@kiel.example',
    });
    expect(forged.statusCode).toBe(403);
    expect(listPursuits(ctx, {}, undefined)).toEqual([]);
  });

  it('creates a pursuit for several measures from the call page form and prefills the address next time', async () => {
    const callPage = await owner.get(`/calls/${CALL}`);
    expect(callPage.body).toContain('action="/pipeline"');
    const res = await app.inject({
      method: 'POST',
      url: '/pipeline',
      headers: {
        cookie: [...owner.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: new URLSearchParams([
        ['_csrf', PageClient.csrfOf(callPage.body)],
        ['callId', CALL],
        ['measures', 'staedtepartnerschaften-1'],
        ['measures', 'staedtepartnerschaften-2'],
        ['ownerEmail', ' olga@kiel.example '],
        ['ownerLanguage', 'en'],
      ]).toString(),
    });
    expect(res.statusCode).toBe(303);
    const id = Number(/\/pipeline\/(\d+)\?created=1$/.exec(res.headers.location as string)?.[1]);
    expect(getPursuit(ctx, id)).toMatchObject({
      measures: ['staedtepartnerschaften-1', 'staedtepartnerschaften-2'],
      owner: { email: 'olga@kiel.example', language: 'en', name: 'Olga' },
      status: 'beobachtet',
    });
    const again = await owner.get('/measures/staedtepartnerschaften-1');
    expect(again.body).toContain('value="olga@kiel.example"');

    // A bad amount is refused and the pursuit keeps its values.
    const csrf = await form(`/pipeline/${id}`);
    const bad = await owner.post(`/pipeline/${id}/edit`, {
      _csrf: csrf,
      amountApplied: 'viel',
      ownerEmail: 'olga@kiel.example',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('kein Betrag');
    expect(getPursuit(ctx, id).amountApplied).toBeNull();
    // A granted amount before bewilligt is a conflict, not a silent change.
    const early = await owner.post(`/pipeline/${id}/edit`, {
      _csrf: csrf,
      amountGranted: '5',
      ownerEmail: 'olga@kiel.example',
    });
    expect(early.statusCode).toBe(409);
    expect(getPursuit(ctx, id).amountGranted).toBeNull();
    const note = await owner.post(`/pipeline/${id}/notes`, { _csrf: csrf, text: 'Rücksprache mit Gdynia' });
    expect(note.statusCode).toBe(303);
    expect((await owner.get(`/pipeline/${id}`)).body).toContain('Rücksprache mit Gdynia');
    const applied = await owner.post(`/pipeline/${id}/edit`, {
      _csrf: csrf,
      amountApplied: '12000',
      ownerEmail: 'olga@kiel.example',
    });
    expect(applied.statusCode).toBe(303);
    // The history in words: field names and values as the page shows them, no codes, no JSON.
    const page = (await owner.get(`/pipeline/${id}`)).body;
    const rows = [...page.slice(page.indexOf('id="history-title"')).matchAll(/<tr>(.*?)<\/tr>/gs)]
      .slice(1)
      .map((m) => [...m[1]!.matchAll(/<td>(.*?)<\/td>/gs)].map((c) => c[1]!).slice(2));
    expect(rows).toEqual([
      ['Vorhaben angelegt', '–', 'beobachtet'],
      ['Notiz', '–', 'hinzugefügt'],
      ['Beantragt', '–', '12.000 EUR'],
    ]);
  });

  it('filters the list and exports pipeline and coverage as CSV', async () => {
    const mine = await owner.get('/pipeline?owner=me&status=beobachtet&measure=staedtepartnerschaften-2');
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('Netzwerke von Partnerstädten 2027');
    expect(mine.body).toContain(
      'href="/pipeline.csv?owner=me&amp;status=beobachtet&amp;measure=staedtepartnerschaften-2"',
    );
    const none = await owner.get('/pipeline?status=bewilligt');
    expect(none.body).toContain('Keine Vorhaben für diese Auswahl.');
    const unknown = await owner.get('/pipeline?measure=no-such-measure');
    expect(unknown.statusCode).toBe(400);
    const csv = await owner.get('/pipeline.csv?owner=me');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain(CALL);
    const cov = await owner.get('/coverage.csv?view=families');
    expect(cov.headers['content-type']).toContain('text/csv');
    expect((await owner.get('/coverage.csv')).body).toContain('staedtepartnerschaften-1');
  });
});
