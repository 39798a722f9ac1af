import { eq } from 'drizzle-orm';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { euFt } from '../../crawlers/eu-ft.ts';
import { adapterIds, getAdapter } from '../../crawlers/index.ts';
import { onRunFinished, type RunSummary, resolveBaseUrls, runCrawl } from '../../crawlers/run.ts';
import { crawlRuns, sources } from '../../db/schema/index.ts';
import { registerJobs } from '../../src/jobs/register.ts';
import { Scheduler } from '../../src/jobs/scheduler.ts';
import { useTestContext } from '../helpers/context.ts';
import { useFixtureServer } from '../helpers/fixture-server.ts';
import { fastCrawlEnv, serveEu } from './portals.ts';

const NOW = new Date('2026-06-01T08:00:00Z');

describe('crawl runs', () => {
  const makeCtx = useTestContext();
  const makeServer = useFixtureServer();

  it('refuses to overlap a live run of the same source', async () => {
    const ctx = makeCtx(fastCrawlEnv);
    ctx.dbh.db
      .insert(crawlRuns)
      .values({
        source: 'eu-ft',
        startedAt: NOW.toISOString(),
        heartbeatAt: NOW.toISOString(),
        lockOwner: `elsewhere:1`,
      })
      .run();
    await expect(runCrawl(ctx, euFt, { baseUrl: 'http://127.0.0.1:9', now: NOW })).rejects.toMatchObject({
      code: 'CRAWL_RUNNING',
    });
  });

  it('recovers the lock of a killed process and records that run as interrupted', async () => {
    const server = serveEu(makeServer());
    const base = await server.start();
    const ctx = makeCtx(fastCrawlEnv);
    const { hostname } = await import('node:os');
    // A pid that cannot be alive (beyond pid_max) on this host, heartbeat still fresh.
    const dead = ctx.dbh.db
      .insert(crawlRuns)
      .values({
        source: 'eu-ft',
        startedAt: NOW.toISOString(),
        heartbeatAt: NOW.toISOString(),
        lockOwner: `${hostname()}:99999999`,
      })
      .returning()
      .get();
    // And one from another host whose heartbeat is older than CRAWL_LOCK_STALE_MS.
    const stale = ctx.dbh.db
      .insert(crawlRuns)
      .values({
        source: 'eu-ft',
        startedAt: '2026-05-01T00:00:00Z',
        heartbeatAt: '2026-05-01T00:00:00Z',
        lockOwner: 'other-host:42',
      })
      .returning()
      .get();
    const run = await runCrawl(ctx, euFt, { baseUrl: base, now: NOW });
    expect(run.outcome).toBe('ok');
    for (const id of [dead.id, stale.id]) {
      const row = ctx.dbh.db.select().from(crawlRuns).where(eq(crawlRuns.id, id)).get()!;
      expect(row.outcome).toBe('failed');
      expect(row.errors).toEqual([expect.objectContaining({ kind: 'interrupted' })]);
    }
  });

  it('records the listing size and calls run-finished hooks with the touched calls', async () => {
    const server = serveEu(makeServer());
    const base = await server.start();
    const ctx = makeCtx(fastCrawlEnv);
    const seen: RunSummary[] = [];
    const off = onRunFinished((_ctx, s) => {
      seen.push(s);
    });
    try {
      await runCrawl(ctx, euFt, { baseUrl: base, now: NOW });
      await runCrawl(ctx, euFt, { baseUrl: base, now: NOW });
    } finally {
      off();
    }
    expect(seen.map((s) => s.touchedIds.length)).toEqual([7, 0]);
    expect(ctx.dbh.db.select().from(sources).where(eq(sources.id, 'eu-ft')).get()).toMatchObject({
      name: 'EU Funding & Tenders Portal',
      lastGoodListingCount: 7,
      resumeState: null,
    });
  });

  it('resolves base URLs: override for every host role, else config, else the real sites', () => {
    const ctx = makeCtx({ EU_FT_PORTAL_BASE_URL: 'https://mirror.example.org/' });
    expect(resolveBaseUrls(ctx, euFt)).toEqual({
      api: 'https://api.tech.ec.europa.eu',
      portal: 'https://mirror.example.org',
    });
    expect(resolveBaseUrls(ctx, euFt, 'http://127.0.0.1:8080')).toEqual({
      api: 'http://127.0.0.1:8080',
      portal: 'http://127.0.0.1:8080',
    });
  });

  it('registers one scheduled crawl per source with its cron, and the daily re-match', async () => {
    const ctx = makeCtx();
    const scheduler = new Scheduler(pino({ level: 'silent' }));
    registerJobs(ctx, scheduler);
    expect(scheduler.jobNames).toEqual([
      'crawl:eu-ft',
      'crawl:foerderdatenbank',
      'crawl:interreg',
      'crawl:skew',
      'match:daily',
      'digest',
      'pursuits',
    ]);
    // EU daily at 05:00 Europe/Berlin.
    const next = scheduler.nextRun('crawl:eu-ft')!;
    expect(
      new Intl.DateTimeFormat('de-DE', {
        timeZone: 'Europe/Berlin',
        hour: '2-digit',
        minute: '2-digit',
      }).format(next),
    ).toBe('05:00');
    await scheduler.stop();
  });

  it('knows its sources and rejects unknown ones', () => {
    expect(adapterIds()).toEqual(['eu-ft', 'foerderdatenbank', 'interreg', 'skew']);
    expect(() => getAdapter('nope')).toThrowError(/Unknown source "nope"/);
  });
});
