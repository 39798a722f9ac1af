import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import { upsertCall } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import { sampleCall } from '../helpers/calls.ts';
import { authHeader, useTestContext } from '../helpers/context.ts';
import { insertMatch } from '../helpers/matches.ts';

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

function addRun(ctx: AppContext, source: string, outcome: string, startedHoursAgo: number, errors?: unknown) {
  ctx.dbh.sqlite
    .prepare(
      `insert into crawl_runs (source, trigger, started_at, finished_at, outcome, fetched, error_count, errors)
       values (?, 'test', ?, ?, ?, 10, ?, ?)`,
    )
    .run(
      source,
      hoursAgo(startedHoursAgo),
      hoursAgo(startedHoursAgo - 0.1),
      outcome,
      errors ? 1 : 0,
      errors ? JSON.stringify(errors) : null,
    );
}

describe('call detail, sources, crawl runs, readiness', () => {
  const makeCtx = useTestContext();
  let ctx: AppContext;
  let app: App;
  let reader: { authorization: string };
  let admin: { authorization: string };

  beforeAll(async () => {
    ctx = makeCtx({ SOURCE_STALE_HOURS: '48', SCHEDULER_ENABLED: 'true' });
    app = await buildApp(ctx.config, { context: ctx });
    reader = authHeader(ctx);
    admin = authHeader(ctx, 'admin');
    upsertCall(ctx.dbh.db, sampleCall());
    upsertCall(
      ctx.dbh.db,
      sampleCall({
        id: 'foerderdatenbank:kommunal',
        source: 'foerderdatenbank',
        sourceId: 'kommunal',
        title: 'Kommunale Partnerschaften',
        deadlines: [],
      }),
    );
    upsertCall(
      ctx.dbh.db,
      sampleCall({
        id: 'import:x1',
        source: 'import',
        sourceId: 'x1',
        title: 'Importierter Call',
        deadlines: [],
      }),
    );
    // eu-ft: good 10 h ago, then two failures → fresh, error streak 2.
    addRun(ctx, 'eu-ft', 'ok', 10);
    addRun(ctx, 'eu-ft', 'failed', 5, [{ kind: 'http', message: '503' }]);
    addRun(ctx, 'eu-ft', 'blocked', 2, [{ kind: 'http', message: '403' }]);
    // foerderdatenbank: last good run 100 h ago → stale.
    addRun(ctx, 'foerderdatenbank', 'ok', 100);
    insertMatch(ctx, {
      callId: 'eu-ft:CERV-2026-CITIZENS-TOWN-TT',
      target: 'staedtepartnerschaften',
      score: 88,
    });
  });
  afterAll(async () => app.close());

  it('shows a call with provenance, stale flag, change history and explained matches', async () => {
    // A second version of the call: its deadline moved.
    upsertCall(
      ctx.dbh.db,
      sampleCall({
        deadlines: [
          { at: '2026-10-01T15:00:00.000Z', timeZone: 'Europe/Brussels', raw: 'moved', stage: 'single' },
        ],
      }),
    );
    const res = await app.inject({ url: '/api/calls/eu-ft:CERV-2026-CITIZENS-TOWN-TT', headers: reader });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.provenance).toMatchObject({
      sourceUrl: 'https://api.tech.ec.europa.eu/search-api/prod/rest/search',
      fetchedAt: '2026-05-01T05:00:00.000Z',
      stale: false,
    });
    expect(body.provenance.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(body.deadlines[0]).toMatchObject({
      local: '2026-10-01T17:00:00+02:00',
      berlin: '2026-10-01T17:00:00+02:00',
    });
    expect(body.changes.map((c: { field: string }) => c.field)).toContain('deadlines');
    expect(body.matches[0]).toMatchObject({
      target: 'staedtepartnerschaften',
      score: 88,
      reasonEn: 'Fits staedtepartnerschaften',
      // Made on read with the active rules.
      explanation: { target: 'staedtepartnerschaften', rules: expect.any(Array) },
    });

    const stale = await app.inject({ url: '/api/calls/foerderdatenbank:kommunal', headers: reader });
    expect(stale.json().provenance.stale).toBe(true);
    expect(stale.json().status).toBe('open-ended');
    const missing = await app.inject({ url: '/api/calls/eu-ft:NOPE', headers: reader });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('NOT_FOUND');
  });

  it('lists sources with last good run, error streak, staleness and next scheduled run (admin)', async () => {
    expect((await app.inject({ url: '/api/sources', headers: reader })).statusCode).toBe(403);
    const res = await app.inject({ url: '/api/sources', headers: admin });
    expect(res.statusCode).toBe(200);
    const byId = Object.fromEntries(res.json().items.map((s: { id: string }) => [s.id, s]));
    expect(byId['eu-ft']).toMatchObject({ errorStreak: 2, stale: false, callCount: 1, crawlable: true });
    expect(byId['eu-ft'].lastRun.outcome).toBe('blocked');
    expect(byId['eu-ft'].lastGoodRun.outcome).toBe('ok');
    expect(Date.parse(byId['eu-ft'].nextScheduledRun)).toBeGreaterThan(Date.now());
    expect(byId.foerderdatenbank).toMatchObject({ errorStreak: 0, stale: true });
    expect(byId.interreg).toMatchObject({ crawlable: true, lastGoodRun: null, stale: true, callCount: 0 });
    // Imported calls have no crawler: listed, never stale, never scheduled.
    expect(byId.import).toMatchObject({
      crawlable: false,
      stale: false,
      nextScheduledRun: null,
      callCount: 1,
    });
  });

  it('lists crawl runs newest first, per source, with a next link', async () => {
    const res = await app.inject({ url: '/api/crawl-runs?limit=2', headers: admin });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items.map((r: { outcome: string }) => r.outcome)).toEqual(['ok', 'blocked']);
    expect(body.items[1].errors).toEqual([{ kind: 'http', message: '403' }]);
    const next = await app.inject({ url: body.next, headers: admin });
    expect(next.json().items.map((r: { outcome: string }) => r.outcome)).toEqual(['failed', 'ok']);
    const one = await app.inject({ url: '/api/crawl-runs?source=foerderdatenbank', headers: admin });
    expect(one.json().items).toHaveLength(1);
    expect((await app.inject({ url: '/api/crawl-runs?source=nope', headers: admin })).statusCode).toBe(400);
  });

  it('/ready reports the age of each source’s last good crawl without a token', async () => {
    const res = await app.inject({ url: '/ready' });
    expect(res.statusCode).toBe(200);
    const byId = Object.fromEntries(res.json().sources.map((s: { id: string }) => [s.id, s]));
    expect(byId['eu-ft'].ageHours).toBeGreaterThan(9);
    expect(byId['eu-ft'].ageHours).toBeLessThan(11);
    expect(byId.foerderdatenbank.stale).toBe(true);
    expect(Object.keys(byId).sort()).toEqual(['eu-ft', 'foerderdatenbank', 'interreg', 'skew']);
    expect(byId.skew).toMatchObject({ lastGoodCrawlAt: null, ageHours: null, stale: true });
  });
});
