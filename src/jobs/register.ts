import type { AppContext } from '../context.ts';
import type { Scheduler } from './scheduler.ts';

/**
 * The product's scheduled jobs. Each feature adds its job here (crawls per source, digests),
 * with its cron expression from config.
 */
export function registerJobs(ctx: AppContext, scheduler: Scheduler): void {
  ctx.logger.info({ jobs: scheduler.jobNames }, 'scheduler started');
}
