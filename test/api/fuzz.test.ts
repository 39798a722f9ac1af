import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import { upsertCall } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import { sampleCall } from '../helpers/calls.ts';
import { authHeader, useTestContext } from '../helpers/context.ts';
import { insertMatch } from '../helpers/matches.ts';

/**
 * Bad input, property-based: random query strings, path values and bodies for every route of
 * the OpenAPI document. Whatever arrives, the API never answers 5xx and every 4xx is
 * problem+json with a stable code.
 */
describe('every route under random input', () => {
  const makeCtx = useTestContext();
  let ctx: AppContext;
  let app: App;
  let routes: { method: string; path: string; params: string[]; query: string[] }[];

  beforeAll(async () => {
    // Crawls a random body might start go to a closed local port, never to the internet.
    ctx = makeCtx({
      RATE_LIMIT_PER_MINUTE: '1000000',
      EU_FT_API_BASE_URL: 'http://127.0.0.1:9',
      EU_FT_PORTAL_BASE_URL: 'http://127.0.0.1:9',
      FDB_BASE_URL: 'http://127.0.0.1:9',
      CRAWL_RETRIES: '0',
    });
    app = await buildApp(ctx.config, { context: ctx });
    upsertCall(ctx.dbh.db, sampleCall());
    insertMatch(ctx, {
      callId: 'eu-ft:CERV-2026-CITIZENS-TOWN-TT',
      target: 'staedtepartnerschaften-1',
      score: 80,
    });
    const doc = (await app.inject({ url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
    };
    routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        params: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      })),
    );
    expect(routes.length).toBeGreaterThan(10);
  });
  afterAll(async () => app.close());

  it('never answers 5xx; every 4xx is problem+json (1,000 requests)', async () => {
    const headers = authHeader(ctx, 'admin');
    const text = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc.constantFrom(
        '',
        '-1',
        '0',
        '1e309',
        'NaN',
        'true',
        'open',
        'eu-ft',
        'staedtepartnerschaften-1',
        '2026-02-30',
        '%',
        '../../etc',
      ),
      fc.integer().map(String),
    );
    const pathValue = fc.oneof(
      text,
      fc.constantFrom(
        'eu-ft:CERV-2026-CITIZENS-TOWN-TT',
        'staedtepartnerschaften',
        'staedtepartnerschaften-1',
        '1',
      ),
    );
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.dictionary(
        fc.constantFrom('verdict', 'comment', 'source', 'rules', 'comment', 'topN'),
        fc.jsonValue({ maxDepth: 2 }),
      ),
      fc.record({ verdict: fc.constantFrom('relevant', 'not_relevant', 'x'), comment: text }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.array(pathValue, { minLength: 3, maxLength: 3 }),
        fc.array(
          fc.tuple(
            fc.oneof(
              fc.constantFrom(
                'q',
                'status',
                'limit',
                'cursor',
                'sort',
                'minScore',
                'deadlineFrom',
                'source',
                'target',
              ),
              fc.string({ maxLength: 8 }),
            ),
            text,
          ),
          { maxLength: 5 },
        ),
        body,
        fc.boolean(),
        async (pick, values, pairs, payload, useKnownKeys) => {
          const route = routes[pick % routes.length]!;
          let url = route.path;
          route.params.forEach((p, i) => {
            url = url.replace(`{${p}}`, encodeURIComponent(values[i]!));
          });
          const qs = new URLSearchParams();
          for (const [k, v] of pairs)
            qs.append(
              useKnownKeys && route.query.length ? route.query[k.length % route.query.length]! : k,
              v,
            );
          const withBody = route.method === 'POST' || route.method === 'PUT';
          const res = await app.inject({
            method: route.method as 'GET',
            url: `${url}${qs.size ? `?${qs}` : ''}`,
            headers,
            ...(withBody ? { payload: payload as object } : {}),
          });
          if (res.statusCode >= 500)
            throw new Error(`${route.method} ${url}?${qs} → ${res.statusCode} ${res.body}`);
          if (res.statusCode >= 400) {
            expect(res.headers['content-type']).toContain('application/problem+json');
            expect(typeof res.json().code).toBe('string');
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
