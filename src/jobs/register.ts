import { sourceAdapters } from '../../crawlers/index.ts';
import { runCrawl } from '../../crawlers/run.ts';
import type { AppContext } from '../context.ts';
import { matchCalls } from '../matching/service.ts';
import type { Scheduler } from './scheduler.ts';

/**
 * The product's scheduled jobs. Each feature adds its job here (crawls per source, digests),
 * with its cron expression from config.
 */
export function registerJobs(ctx: AppContext, scheduler: Scheduler): void {
  // One crawl job per source; runCrawl records the outcome and logs one line per run.
  for (const adapter of sourceAdapters) {
    scheduler.add({
      name: `crawl:${adapter.id}`,
      cron: ctx.config.crawl.cron[adapter.id],
      run: (signal) => runCrawl(ctx, adapter, { trigger: 'schedule', signal }),
    });
  }
  // Scores depend on days to the next deadline: refresh all matches once a day.
  scheduler.add({
    name: 'match:daily',
    cron: '15 6 * * *',
    run: async () => {
      const result = matchCalls(ctx);
      ctx.logger.info(result, 'daily re-match finished');
    },
  });
  ctx.logger.info({ jobs: scheduler.jobNames }, 'scheduler started');
}
