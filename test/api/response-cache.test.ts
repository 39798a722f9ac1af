import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import { type App, buildApp } from '../../src/app.ts';
import { createToken, revokeToken } from '../../src/auth/tokens.ts';
import { upsertCall } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import type { Call } from '../../src/domain/call.ts';
import { sampleCall } from '../helpers/calls.ts';
import { authHeader, useTestContext } from '../helpers/context.ts';
import { insertMatch } from '../helpers/matches.ts';

const day = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * day).toISOString();
const target = 'staedtepartnerschaften-1';
/** `data_version` of other connections is re-read after at most a millisecond (see dataGeneration). */
const otherCommitsShow = () => new Promise((r) => setTimeout(r, 5));

function call(id: string, overrides: Partial<Call> = {}): Call {
  return sampleCall({
    id: `eu-ft:${id}`,
    sourceId: id,
    identifier: id,
    title: `Town twinning ${id}`,
    keywords: ['town twinning'],
    deadlines: [{ at: inDays(30), timeZone: 'Europe/Brussels', raw: 'in 30 days', stage: 'single' }],
    ...overrides,
  });
}

describe('response cache of the list routes', () => {
  const makeCtx = useTestContext();
  let ctx: AppContext;
  let app: App;
  let alice: { authorization: string };
  let bob: { authorization: string };
  // The cache's minute, held still so that no test meets a minute turn by chance.
  let clock = Date.parse('2026-05-04T09:00:05Z');

  beforeAll(async () => {
    ctx = makeCtx();
    app = await buildApp(ctx.config, { context: ctx, clock: () => clock });
    alice = authHeader(ctx);
    bob = authHeader(ctx);
    for (const id of ['A', 'B', 'C']) upsertCall(ctx.dbh.db, call(id));
    insertMatch(ctx, { callId: 'eu-ft:A', target, score: 80 });
    insertMatch(ctx, { callId: 'eu-ft:B', target, score: 70 });
  });
  afterAll(async () => app.close());

  const get = (url: string, who: { authorization: string }) => app.inject({ url, headers: who });
  const ids = (body: string) =>
    (JSON.parse(body) as { items: Array<{ id?: string; callId?: string }> }).items.map(
      (i) => i.id ?? i.callId,
    );

  it('answers a repeated search from the cache, byte for byte, and a new call shows at once', async () => {
    const url = '/api/calls?q=twinning&limit=50';
    const first = await get(url, alice);
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-cache']).toBe('miss');
    expect(first.json().total).toBe(3);
    // Kept from the second request on: a query asked once takes no room.
    const second = await get(url, alice);
    expect(second.headers['x-cache']).toBe('miss');
    expect(second.body).toBe(first.body);
    const again = await get(url, bob); // shared: the same for every token
    expect(again.headers['x-cache']).toBe('hit');
    expect(again.body).toBe(first.body);
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect(again.headers['x-content-type-options']).toBe('nosniff');

    upsertCall(ctx.dbh.db, call('D'));
    const after = await get(url, alice);
    expect(after.headers['x-cache']).toBe('miss');
    expect(after.json().total).toBe(4);
    expect(ids(after.body)).toContain('eu-ft:D');
    expect((await get(url, alice)).headers['x-cache']).toBe('hit');
  });

  it('keeps ranked lists per token: feedback hides a call from the lists of whoever gave it, at once', async () => {
    const url = `/api/measures/${target}/matches`;
    expect(ids((await get(url, alice)).body)).toEqual(['eu-ft:A', 'eu-ft:B']);
    expect((await get(url, alice)).headers['x-cache']).toBe('miss');
    expect((await get(url, alice)).headers['x-cache']).toBe('hit');
    expect(ids((await get(url, bob)).body)).toEqual(['eu-ft:A', 'eu-ft:B']);

    const fb = await app.inject({
      method: 'POST',
      url: `/api/matches/eu-ft:A/${target}/feedback`,
      headers: { ...alice, 'content-type': 'application/json' },
      payload: { verdict: 'not_relevant' },
    });
    expect(fb.statusCode).toBe(201);
    const mine = await get(url, alice);
    expect(mine.headers['x-cache']).toBe('miss');
    expect(ids(mine.body)).toEqual(['eu-ft:B']);
    expect(ids((await get(url, alice)).body)).toEqual(['eu-ft:B']);
    expect(ids((await get(url, bob)).body)).toEqual(['eu-ft:A', 'eu-ft:B']);
  });

  it('sees writes of another process (a re-match from the CLI) with the next request', async () => {
    const url = `/api/measures/${target}/matches`;
    await get(url, bob);
    await get(url, bob);
    expect((await get(url, bob)).headers['x-cache']).toBe('hit');
    const other = openDatabase(ctx.config.databasePath);
    try {
      other.sqlite
        .prepare(
          `insert into matches (call_id, target, target_kind, score, eligibility, reason, reason_en, rule_version, matched_at)
           values ('eu-ft:C', ?, 'measure', 95, 'eligible', 'Neu', 'New', 1, ?)`,
        )
        .run(target, new Date().toISOString());
    } finally {
      other.close();
    }
    await otherCommitsShow();
    const after = await get(url, bob);
    expect(after.headers['x-cache']).toBe('miss');
    expect(ids(after.body)).toEqual(['eu-ft:C', 'eu-ft:A', 'eu-ft:B']);
  });

  it('shows a re-scored match (new reason and score) with the next request', async () => {
    const url = `/api/measures/${target}/matches`;
    const reasons = async () =>
      (
        JSON.parse((await get(url, bob)).body) as {
          items: Array<{ callId: string; reason: string; score: number }>;
        }
      ).items;
    expect((await reasons()).find((i) => i.callId === 'eu-ft:B')?.reason).toBe(`Passt zu ${target}`);
    insertMatch(ctx, { callId: 'eu-ft:B', target, score: 99, reason: 'Neu bewertet', reasonEn: 'Re-scored' });
    const after = await reasons();
    expect(after[0]).toMatchObject({ callId: 'eu-ft:B', reason: 'Neu bewertet', score: 99 });
  });

  it('never answers from the cache past authentication: a revoked token gets 401 for a cached URL', async () => {
    const t = createToken(ctx.dbh.db, { name: 'soon revoked', role: 'reader' });
    const who = { authorization: `Bearer ${t.token}` };
    const url = '/api/calls?q=twinning&sort=deadline';
    await get(url, who);
    await get(url, who);
    expect((await get(url, who)).headers['x-cache']).toBe('hit');
    revokeToken(ctx.dbh.db, t.id);
    const res = await get(url, who);
    expect(res.statusCode).toBe(401);
    expect(res.headers['x-cache']).toBeUndefined();
    expect((await get(url, alice)).statusCode).toBe(200);
  });

  it('answers anew when the minute turns (statuses and days left follow the clock)', async () => {
    const url = '/api/calls?q=twinning&sort=newest';
    await get(url, alice);
    await get(url, alice);
    expect((await get(url, alice)).headers['x-cache']).toBe('hit');
    clock += 50_000;
    expect((await get(url, alice)).headers['x-cache']).toBe('hit');
    clock += 60_000;
    expect((await get(url, alice)).headers['x-cache']).toBe('miss');
  });

  it('answers in the coding the client accepts, the same JSON underneath, and 304 for a known ETag', async () => {
    const url = '/api/calls?q=twinning&limit=50&sort=relevance';
    const as = (encoding: string, extra: Record<string, string> = {}) =>
      app.inject({ url, headers: { ...alice, 'accept-encoding': encoding, ...extra } });

    // The first request is not kept, and gzip comes from the cards' kept pieces.
    const first = await as('gzip');
    expect([first.headers['x-cache'], first.headers['content-encoding']]).toEqual(['miss', 'gzip']);
    expect(first.headers.etag).toBeUndefined();
    const gz = await as('gzip'); // kept now, and a miss is compressed too
    expect(gz.headers['x-cache']).toBe('miss');
    expect(gz.headers['content-encoding']).toBe('gzip');
    const plain = await get(url, alice); // no Accept-Encoding: plain bytes
    expect(plain.headers['x-cache']).toBe('hit');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.length).toBeGreaterThan(1024);
    expect(gunzipSync(gz.rawPayload).toString()).toBe(plain.body);
    expect(gunzipSync(first.rawPayload).toString()).toBe(plain.body);
    expect(gz.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);

    const br = await as('gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    expect((await as('br;q=0, gzip')).headers['content-encoding']).toBe('gzip');
    expect((await as('identity')).headers['content-encoding']).toBeUndefined();
    for (const r of [gz, plain, br]) expect(r.headers.vary).toBe('Accept-Encoding');

    const etag = String(plain.headers.etag);
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
    expect(gz.headers.etag).toBe(etag);
    const unchanged = await as('gzip', { 'if-none-match': `W/"other", ${etag}` });
    expect(unchanged.statusCode).toBe(304);
    expect(unchanged.rawPayload.length).toBe(0);
    expect(unchanged.headers.etag).toBe(etag);
    expect((await as('gzip', { 'if-none-match': 'W/"other"' })).statusCode).toBe(200);

    upsertCall(ctx.dbh.db, call('E'));
    const changed = await as('gzip', { 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(ids(gunzipSync(changed.rawPayload).toString())).toContain('eu-ft:E');
  });

  it('keeps the coding the first client took and makes the others from it, byte for byte the same JSON', async () => {
    const url = '/api/calls?q=twinning&limit=50&sort=newest';
    const as = (encoding: string) => app.inject({ url, headers: { ...alice, 'accept-encoding': encoding } });
    await as('gzip'); // the key's first request: not kept
    const br = await as('br');
    expect([br.headers['x-cache'], br.headers['content-encoding']]).toEqual(['miss', 'br']);
    const json = brotliDecompressSync(br.rawPayload).toString();
    expect(ids(json).length).toBeGreaterThan(0);
    const plain = await as('identity');
    expect([plain.headers['x-cache'], plain.headers['content-encoding']]).toEqual(['hit', undefined]);
    expect(plain.body).toBe(json);
    const gz = await as('gzip');
    expect([gz.headers['x-cache'], gz.headers['content-encoding']]).toEqual(['hit', 'gzip']);
    expect(gunzipSync(gz.rawPayload).toString()).toBe(json);
    expect(new Set([br, plain, gz].map((r) => r.headers.etag)).size).toBe(1);
  });

  it('caches only successful answers', async () => {
    const bad = await get('/api/calls?limit=0', alice);
    expect(bad.statusCode).toBe(400);
    const again = await get('/api/calls?limit=0', alice);
    expect(again.statusCode).toBe(400);
    expect(again.headers['x-cache']).toBe('miss');
    expect(again.headers['content-type']).toContain('application/problem+json');
  });
});

describe('response cache and the rate limit, and switched off', () => {
  const makeCtx = useTestContext();
  const apps: App[] = [];
  afterAll(async () => {
    for (const a of apps) await a.close();
  });

  it('counts cached answers against the rate limit', async () => {
    const ctx = makeCtx({ RATE_LIMIT_PER_MINUTE: '3' });
    const app = await buildApp(ctx.config, { context: ctx, clock: () => Date.parse('2026-05-04T09:00:05Z') });
    apps.push(app);
    upsertCall(ctx.dbh.db, call('A'));
    const who = authHeader(ctx);
    const res = [];
    for (let i = 0; i < 4; i++) res.push(await app.inject({ url: '/api/calls?q=twinning', headers: who }));
    expect(res.map((r) => r.statusCode)).toEqual([200, 200, 200, 429]);
    expect(res.map((r) => r.headers['x-cache'])).toEqual(['miss', 'miss', 'hit', undefined]);
  });

  it('RESPONSE_CACHE_MB=0 turns it off; answers are the same', async () => {
    const ctx = makeCtx({ RESPONSE_CACHE_MB: '0' });
    const app = await buildApp(ctx.config, { context: ctx });
    apps.push(app);
    for (const id of ['A', 'B', 'C']) upsertCall(ctx.dbh.db, call(id));
    const who = authHeader(ctx);
    const a = await app.inject({ url: '/api/calls?q=twinning', headers: who });
    const b = await app.inject({ url: '/api/calls?q=twinning', headers: who });
    expect(a.statusCode).toBe(200);
    expect(b.headers['x-cache']).toBeUndefined();
    expect(b.body).toBe(a.body);
    // Still compressed when asked for, response by response.
    const gz = await app.inject({
      url: '/api/calls?q=twinning',
      headers: { ...who, 'accept-encoding': 'gzip' },
    });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toBe('Accept-Encoding');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(a.body);
    // gzip is made from the cards' kept pieces; a client without gzip gets brotli or plain.
    for (const [accept, coding] of [
      ['br', 'br'],
      ['gzip;q=0, br', 'br'],
      ['identity', undefined],
      ['deflate, gzip;q=0.5', 'gzip'],
    ] as const) {
      const res = await app.inject({
        url: '/api/calls?q=twinning',
        headers: { ...who, 'accept-encoding': accept },
      });
      expect(res.headers['content-encoding']).toBe(coding);
      const body =
        coding === 'br'
          ? brotliDecompressSync(res.rawPayload)
          : coding === 'gzip'
            ? gunzipSync(res.rawPayload)
            : res.rawPayload;
      expect(body.toString()).toBe(a.body);
    }
  });
});
