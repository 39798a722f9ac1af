import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import type { AppContext } from '../../src/context.ts';
import { EU_ROBOTS, serveEu } from '../crawlers/portals.ts';
import { authHeader, useTestContext } from '../helpers/context.ts';
import { FixtureServer } from '../helpers/fixture-server.ts';

describe('POST /api/crawl-runs (crawling a local recording of the EU portal)', () => {
  const makeCtx = useTestContext();
  const portal = new FixtureServer();
  let ctx: AppContext;
  let app: App;
  let admin: { authorization: string };

  beforeAll(async () => {
    const url = await serveEu(portal).start();
    // robots.txt answers slowly, so a run is still going when the second request arrives.
    portal.route('GET', '/robots.txt', () => ({ body: EU_ROBOTS, delayMs: 300 }));
    ctx = makeCtx({ EU_FT_API_BASE_URL: url, EU_FT_PORTAL_BASE_URL: url, CRAWL_MIN_DELAY_MS: '0' });
    app = await buildApp(ctx.config, { context: ctx });
    admin = authHeader(ctx, 'admin');
  });
  afterAll(async () => {
    await app.close();
    await portal.close();
  });

  const waitForEnd = async (id: number) => {
    for (let i = 0; i < 400; i++) {
      const run = (await app.inject({ url: `/api/crawl-runs/${id}`, headers: admin })).json();
      if (run.outcome !== 'running') return run;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('crawl did not finish');
  };

  it('starts a run in the background (202), answers 409 while it runs, and the crawled calls are searchable', async () => {
    const started = await app.inject({
      method: 'POST',
      url: '/api/crawl-runs',
      headers: admin,
      payload: { source: 'eu-ft' },
    });
    expect(started.statusCode).toBe(202);
    const run = started.json();
    expect(run).toMatchObject({ source: 'eu-ft', trigger: 'api', outcome: 'running' });
    expect(started.headers.location).toBe(`/api/crawl-runs/${run.id}`);

    const again = await app.inject({
      method: 'POST',
      url: '/api/crawl-runs',
      headers: admin,
      payload: { source: 'eu-ft' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.json().code).toBe('CRAWL_RUNNING');

    const done = await waitForEnd(run.id);
    expect(['ok', 'partial']).toContain(done.outcome);
    expect(done.newCount).toBeGreaterThan(0);

    const stored = ctx.dbh.sqlite
      .prepare("select id, title from calls where source = 'eu-ft' order by id")
      .all() as {
      id: string;
      title: string;
    }[];
    expect(stored.length).toBe(done.newCount);
    const list = await app.inject({ url: '/api/calls?source=eu-ft&limit=100', headers: admin });
    expect(list.json().total).toBe(stored.length);
    const one = stored[0]!;
    const found = await app.inject({ url: `/api/calls?q=${encodeURIComponent(one.title)}`, headers: admin });
    expect(found.json().items[0].id).toBe(one.id);

    const sources = (await app.inject({ url: '/api/sources', headers: admin })).json().items;
    expect(sources.find((s: { id: string }) => s.id === 'eu-ft')).toMatchObject({
      stale: false,
      errorStreak: 0,
    });
    const audits = ctx.dbh.sqlite
      .prepare("select target, details from audit_log where action = 'crawl.start'")
      .all() as {
      target: string;
      details: string;
    }[];
    expect(audits).toEqual([{ target: 'eu-ft', details: JSON.stringify({ runId: run.id }) }]);
  });

  it('rejects unknown or uncrawlable sources with 400 and readers with 403, starting nothing', async () => {
    const before = (ctx.dbh.sqlite.prepare('select count(*) as n from crawl_runs').get() as { n: number }).n;
    const bad = await app.inject({
      method: 'POST',
      url: '/api/crawl-runs',
      headers: admin,
      payload: { source: 'nope' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('body.source');
    const noCrawler = await app.inject({
      method: 'POST',
      url: '/api/crawl-runs',
      headers: admin,
      payload: { source: 'import' },
    });
    expect(noCrawler.statusCode).toBe(400);
    const reader = await app.inject({
      method: 'POST',
      url: '/api/crawl-runs',
      headers: authHeader(ctx, 'reader'),
      payload: { source: 'eu-ft' },
    });
    expect(reader.statusCode).toBe(403);
    expect((ctx.dbh.sqlite.prepare('select count(*) as n from crawl_runs').get() as { n: number }).n).toBe(
      before,
    );
    expect((await app.inject({ url: '/api/crawl-runs/99999', headers: admin })).statusCode).toBe(404);
  });
});
