import { sourceAdapters } from '../../crawlers/index.ts';
import { runCrawl } from '../../crawlers/run.ts';
import type { AppContext } from '../context.ts';
import { runDigests } from '../digest/send.ts';
import { matchCalls } from '../matching/service.ts';
import { runPursuitMails } from '../pursuits/send.ts';
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
  // Sends what is due: the week's digest on its first run from Monday (default 07:00 Berlin,
  // after the 06:15 re-match), daily digests every day, plus retries of temporarily failed mails.
  scheduler.add({
    name: 'digest',
    cron: ctx.config.mail.digestCron,
    run: async (signal) => {
      const { preview: _none, ...report } = await runDigests(ctx, { signal });
      ctx.logger.info(report, 'digest run finished');
    },
  });
  // Pursuit reminders and call-change alerts to the pursuits' owners (hourly by default).
  scheduler.add({
    name: 'pursuits',
    cron: ctx.config.pursuits.cron,
    run: async (signal) => {
      const report = await runPursuitMails(ctx, { signal });
      ctx.logger.info(report, 'pursuit mail run finished');
    },
  });
  ctx.logger.info({ jobs: scheduler.jobNames }, 'scheduler started');
}
