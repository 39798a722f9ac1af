import type { AppContext } from '../context.ts';
import { runDigests } from '../digest/send.ts';
import type { Scheduler } from './scheduler.ts';

/**
 * The product's scheduled jobs. Each feature adds its job here (crawls per source, digests),
 * with its cron expression from config.
 */
export function registerJobs(ctx: AppContext, scheduler: Scheduler): void {
  // Sends what is due: the week's digest on its first run from Monday (default 07:00 Berlin),
  // daily digests every day, plus retries of temporarily failed mails.
  scheduler.add({
    name: 'digest',
    cron: ctx.config.mail.digestCron,
    run: async (signal) => {
      const report = await runDigests(ctx, { signal });
      ctx.logger.info({ ...report, preview: undefined }, 'digest run');
    },
  });
  ctx.logger.info({ jobs: scheduler.jobNames }, 'scheduler started');
}
