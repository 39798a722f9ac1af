/** The run lock: a `crawl_runs` row in state `running`, its heartbeat, and closing it with the outcome. */
import { hostname } from 'node:os';
import { and, eq } from 'drizzle-orm';
import { crawlRuns } from '../../db/schema/index.ts';
import type { AppContext } from '../../src/context.ts';
import { AppError } from '../../src/errors.ts';
import type { SourceAdapter } from '../types.ts';
import type { CrawlTrigger, RunSummary, RunTally } from './types.ts';

const MAX_STORED_ERRORS = 200;

const lockOwner = () => `${hostname()}:${process.pid}`;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the source's run lock: a `crawl_runs` row in state `running` with owner and heartbeat.
 * A running row whose heartbeat is stale, or whose owner process on this host is gone, was left by
 * a killed process: it is closed as `failed` and the lock taken over.
 */
export function acquireLock(
  ctx: AppContext,
  source: SourceAdapter['id'],
  trigger: CrawlTrigger,
  now: Date,
): number {
  const { db, sqlite } = ctx.dbh;
  const me = lockOwner();
  return sqlite
    .transaction(() => {
      const running = db
        .select()
        .from(crawlRuns)
        .where(and(eq(crawlRuns.source, source), eq(crawlRuns.outcome, 'running')))
        .all();
      for (const r of running) {
        const beat = Date.parse(r.heartbeatAt ?? r.startedAt);
        const [host, pid] = (r.lockOwner ?? '').split(':');
        const ownerGone = host === hostname() && pid !== undefined && !processAlive(Number(pid));
        const stale = now.getTime() - beat > ctx.config.crawl.lockStaleMs;
        if (!ownerGone && !stale) {
          throw new AppError(
            'CRAWL_RUNNING',
            `A crawl of ${source} is already running (run ${r.id}, ${r.lockOwner}).`,
          );
        }
        db.update(crawlRuns)
          .set({
            outcome: 'failed',
            finishedAt: now.toISOString(),
            errors: [
              ...(r.errors ?? []),
              {
                kind: 'interrupted',
                message: `run was interrupted (owner ${r.lockOwner} gone); lock recovered by ${me}`,
              },
            ],
            errorCount: r.errorCount + 1,
          })
          .where(eq(crawlRuns.id, r.id))
          .run();
      }
      const row = db
        .insert(crawlRuns)
        .values({
          source,
          trigger,
          startedAt: now.toISOString(),
          lockOwner: me,
          heartbeatAt: now.toISOString(),
        })
        .returning({ id: crawlRuns.id })
        .get();
      return row.id;
    })
    .immediate();
}

/** Keeps the lock's heartbeat (and the live counts) fresh while the run goes on. */
export function startHeartbeat(ctx: AppContext, runId: number, s: RunTally): NodeJS.Timeout {
  const { db } = ctx.dbh;
  const beat = () =>
    db
      .update(crawlRuns)
      .set({
        heartbeatAt: new Date().toISOString(),
        fetched: s.fetched,
        newCount: s.newCount,
        changedCount: s.changedCount,
        unchangedCount: s.unchangedCount,
        errorCount: s.errors.length,
      })
      .where(eq(crawlRuns.id, runId))
      .run();
  const heartbeat = setInterval(beat, ctx.config.crawl.heartbeatMs);
  heartbeat.unref();
  return heartbeat;
}

/** Records the run's outcome and counts; the row is no longer `running`, so the lock is free. */
export function finishRun(
  ctx: AppContext,
  runId: number,
  outcome: RunSummary['outcome'],
  finishedAt: Date,
  s: RunTally,
): void {
  const { db } = ctx.dbh;
  db.update(crawlRuns)
    .set({
      outcome,
      finishedAt: finishedAt.toISOString(),
      heartbeatAt: finishedAt.toISOString(),
      fetched: s.fetched,
      newCount: s.newCount,
      changedCount: s.changedCount,
      unchangedCount: s.unchangedCount,
      delistedCount: s.delistedCount,
      errorCount: s.errors.length,
      // The count is exact; the stored details are capped so one broken source cannot bloat the table.
      errors: s.errors.slice(0, MAX_STORED_ERRORS),
    })
    .where(eq(crawlRuns.id, runId))
    .run();
}
