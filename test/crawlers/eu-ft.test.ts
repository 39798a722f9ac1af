import { describe, expect, it } from 'vitest';
import { euFt } from '../../crawlers/eu-ft.ts';
import { runCrawl } from '../../crawlers/run.ts';
import { getCalls } from '../../src/calls/store.ts';
import { useTestContext } from '../helpers/context.ts';
import { useFixtureServer } from '../helpers/fixture-server.ts';
import { fastCrawlEnv, serveEu } from './portals.ts';

const NOW = new Date('2026-06-01T08:00:00Z');

describe('eu-ft crawl over HTTP', () => {
  const makeCtx = useTestContext();
  const makeServer = useFixtureServer();

  it('fills a fresh database', async () => {
    const server = serveEu(makeServer());
    const base = await server.start();
    const ctx = makeCtx(fastCrawlEnv);
    const run = await runCrawl(ctx, euFt, { baseUrl: base, now: NOW, trigger: 'test' });
    expect(run.errors).toEqual([]);
    expect(run.outcome).toBe('ok');
    const calls = getCalls(ctx.dbh.db).sort((a, b) => a.id.localeCompare(b.id));
    console.log(
      JSON.stringify(
        calls.map((c) => ({
          id: c.id,
          title: c.title,
          status: c.status,
          deadlines: c.deadlines,
          opening: c.openingDate,
          prog: c.programme,
          budget: c.budget,
          kw: c.keywords.length,
          summary: c.summary.slice(0, 80),
        })),
        null,
        1,
      ),
    );
  });
});
