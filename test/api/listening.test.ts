import type { AddressInfo } from 'node:net';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import { upsertCall } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import { sampleCall } from '../helpers/calls.ts';
import { authHeader, useTestContext } from '../helpers/context.ts';
import { insertMatch } from '../helpers/matches.ts';

describe('API over a real listening server', () => {
  const makeCtx = useTestContext();
  let ctx: AppContext;
  let app: App;
  let base: string;
  let auth: { authorization: string };

  beforeAll(async () => {
    ctx = makeCtx();
    app = await buildApp(ctx.config, { context: ctx });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    auth = authHeader(ctx);
    upsertCall(
      ctx.dbh.db,
      sampleCall({
        deadlines: [
          {
            at: new Date(Date.now() + 9 * 86_400_000).toISOString(),
            timeZone: 'Europe/Brussels',
            raw: 'x',
            stage: 'single',
          },
        ],
      }),
    );
    insertMatch(ctx, {
      callId: 'eu-ft:CERV-2026-CITIZENS-TOWN-TT',
      target: 'staedtepartnerschaften-1',
      score: 81,
    });
  });
  afterAll(async () => app.close());

  it('searches, lists matches and takes feedback over HTTP', async () => {
    const search = await fetch(`${base}/api/calls?q=St%C3%A4dtepartnerschaft`, { headers: auth });
    expect(search.status).toBe(200);
    expect(((await search.json()) as { items: { id: string }[] }).items[0]!.id).toBe(
      'eu-ft:CERV-2026-CITIZENS-TOWN-TT',
    );

    const list = await fetch(`${base}/api/measures/staedtepartnerschaften-1/matches`, { headers: auth });
    const body = (await list.json()) as {
      items: { callId: string; score: number; deadline: { daysLeft: number } }[];
    };
    expect(body.items[0]).toMatchObject({ callId: 'eu-ft:CERV-2026-CITIZENS-TOWN-TT', score: 81 });
    expect(body.items[0]!.deadline.daysLeft).toBeGreaterThanOrEqual(8);

    const fb = await fetch(
      `${base}/api/matches/eu-ft%3ACERV-2026-CITIZENS-TOWN-TT/staedtepartnerschaften-1/feedback`,
      {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ verdict: 'not_relevant' }),
      },
    );
    expect(fb.status).toBe(201);
    const after = await fetch(`${base}/api/measures/staedtepartnerschaften-1/matches`, { headers: auth });
    expect(((await after.json()) as { items: unknown[] }).items).toEqual([]);
  });

  it('answers 401 problem+json without a token and rejects malformed JSON with 400', async () => {
    const res = await fetch(`${base}/api/calls`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const bad = await fetch(
      `${base}/api/matches/eu-ft%3ACERV-2026-CITIZENS-TOWN-TT/staedtepartnerschaften-1/feedback`,
      {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: '{"verdict": ',
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
  });

  it('serves a valid OpenAPI 3.1 document naming every route', async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(doc as unknown as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    for (const p of [
      '/api/calls',
      '/api/calls/{id}',
      '/api/measures/{id}/matches',
      '/api/action-fields/{key}/matches',
      '/api/matches/{callId}/{target}/feedback',
      '/api/feedback',
      '/api/crawl-runs',
      '/api/sources',
    ]) {
      expect(doc.paths).toHaveProperty([p]);
    }
    // The cached list routes name their 304 (If-None-Match); the others do not have one.
    const responses = (p: string) =>
      Object.keys((doc.paths[p] as { get: { responses: Record<string, unknown> } }).get.responses);
    expect(responses('/api/calls')).toContain('304');
    expect(responses('/api/measures/{id}/matches')).toContain('304');
    expect(responses('/api/calls/{id}')).not.toContain('304');
  });
});

describe('calls list from kept gzip pieces, read by a real HTTP client', () => {
  const makeCtx = useTestContext();

  it('fetch unpacks it to the same JSON as a plain answer', async () => {
    const ctx = makeCtx({ RESPONSE_CACHE_MB: '0' });
    for (const n of [1, 2, 3]) {
      upsertCall(
        ctx.dbh.db,
        sampleCall({ id: `eu-ft:T-${n}`, sourceId: `T-${n}`, title: `Städtepartnerschaft ${n} – Jugend 😀` }),
      );
    }
    const app = await buildApp(ctx.config, { context: ctx });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/calls?q=St%C3%A4dtepartnerschaft`;
      const headers = authHeader(ctx);
      const packed = await fetch(url, { headers: { ...headers, 'accept-encoding': 'gzip' } });
      expect(packed.headers.get('content-encoding')).toBe('gzip');
      const plain = await fetch(url, { headers: { ...headers, 'accept-encoding': 'identity' } });
      expect(plain.headers.get('content-encoding')).toBeNull();
      const text = await plain.text();
      expect(await packed.text()).toBe(text);
      expect((JSON.parse(text) as { items: unknown[] }).items).toHaveLength(3);
    } finally {
      await app.close();
    }
  });
});
