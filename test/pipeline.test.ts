import { describe, expect, it } from 'vitest';
import { euFt } from '../crawlers/eu-ft.ts';
import { runCrawl } from '../crawlers/run.ts';
import { euPages, fastCrawlEnv, serveEu } from './crawlers/portals.ts';
import { useTestContext } from './helpers/context.ts';
import { useFixtureServer } from './helpers/fixture-server.ts';

describe('pipeline: crawl → match', () => {
  const makeCtx = useTestContext();
  const makeServer = useFixtureServer();

  it('re-matches the new calls of a crawl right after the run', async () => {
    const server = serveEu(makeServer(), euPages);
    const base = await server.start();
    const ctx = makeCtx(fastCrawlEnv);
    const run = await runCrawl(ctx, euFt, {
      baseUrl: base,
      now: new Date('2026-06-01T08:00:00Z'),
      trigger: 'test',
    });
    expect(run.newCount).toBeGreaterThan(0);
    const s = ctx.dbh.sqlite;
    const pending = s.prepare('select count(*) as n from match_queue').get() as { n: number };
    expect(pending.n).toBe(0);
    const matched = s.prepare('select count(distinct call_id) as n from matches').get() as { n: number };
    expect(matched.n).toBeGreaterThan(0);
    const edtech = s
      .prepare(
        "select target, score, reason from matches where call_id = 'eu-ft:DIGITAL-2026-SKILLS-10-EDTECH'",
      )
      .all() as { target: string; score: number; reason: string }[];
    for (const m of edtech) {
      expect(m.score).toBeGreaterThanOrEqual(0);
      expect(m.score).toBeLessThanOrEqual(100);
      expect(m.reason.length).toBeGreaterThan(0);
    }
  });
});
