import { sourceAdapters } from '../../crawlers/index.ts';
import { runCrawl } from '../../crawlers/run.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { type CrawlRunRow, getCrawlRun } from './status.ts';

/**
 * "Crawl now" from a page, the way POST /api/crawl-runs does it: the run starts in the
 * background and its row is returned at once; a run of the same source already going is
 * CRAWL_RUNNING (409). `close` stops and awaits the runs (the app's onClose).
 */
export function backgroundCrawls(ctx: AppContext) {
  const inFlight = new Set<Promise<unknown>>();
  const stop = new AbortController();
  return {
    async start(sourceId: string): Promise<CrawlRunRow> {
      const adapter = sourceAdapters.find((a) => a.id === sourceId);
      if (!adapter) {
        throw new AppError('VALIDATION_FAILED', `No crawler for "${sourceId}".`, {
          details: [
            { path: 'source', message: `expected one of ${sourceAdapters.map((a) => a.id).join(', ')}` },
          ],
        });
      }
      const before = (
        ctx.dbh.sqlite.prepare('select coalesce(max(id), 0) as id from crawl_runs').get() as { id: number }
      ).id;
      // runCrawl takes the source's lock synchronously before its first await: afterwards either
      // our run row exists or the promise rejects with CRAWL_RUNNING.
      const run = runCrawl(ctx, adapter, { trigger: 'api', signal: stop.signal });
      const mine = ctx.dbh.sqlite
        .prepare(
          "select id from crawl_runs where id > ? and source = ? and trigger = 'api' order by id limit 1",
        )
        .get(before, adapter.id) as { id: number } | undefined;
      if (!mine) {
        await run; // rejects with the reason it did not start (CRAWL_RUNNING when the lock is taken)
        throw new AppError('INTERNAL', 'crawl did not start');
      }
      const tracked = run
        .catch((err: unknown) => ctx.logger.error({ err, source: adapter.id }, 'page-started crawl failed'))
        .finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      return getCrawlRun(ctx, mine.id)!;
    },
    async close(): Promise<void> {
      stop.abort(new Error('server shutting down'));
      await Promise.allSettled([...inFlight]);
    },
  };
}
