/**
 * The crawl framework: `runCrawl` runs one source adapter in named steps — lock (`run/lock.ts`),
 * crawl context (`run/context.ts`), upserts (`run/items.ts`), outcome and delisting
 * (`run/listing.ts`) — and hands the summary to the run-finished hooks.
 */
import { desc } from 'drizzle-orm';
import { crawlRuns } from '../db/schema/index.ts';
import type { AppContext } from '../src/context.ts';
import { CrawlError, toCrawlError } from './errors.ts';
import { crawlContext } from './run/context.ts';
import { storeCall, storeSeen } from './run/items.ts';
import { decideOutcome, ensureSourceRow } from './run/listing.ts';
import { acquireLock, finishRun, startHeartbeat } from './run/lock.ts';
import type { RunOptions, RunSummary } from './run/types.ts';
import type { CrawlItem, SourceAdapter } from './types.ts';

export type { CrawlTrigger, RunOptions, RunSummary } from './run/types.ts';

/**
 * Hooks run after every finished run (also failed ones; check `summary.outcome`). The matching
 * engine registers here to re-match the calls in `summary.touchedIds` (they also carry
 * `calls.needs_match`). A hook's error is logged and never fails the crawl.
 */
export type RunFinishedHook = (ctx: AppContext, summary: RunSummary) => void | Promise<void>;
const runFinishedHooks: RunFinishedHook[] = [];

export function onRunFinished(hook: RunFinishedHook): () => void {
  runFinishedHooks.push(hook);
  return () => {
    const i = runFinishedHooks.indexOf(hook);
    if (i >= 0) runFinishedHooks.splice(i, 1);
  };
}

/** Base URLs for a run: the `--base-url` override for every role, else config, else the real sites. */
export function resolveBaseUrls(
  ctx: AppContext,
  adapter: SourceAdapter,
  override?: string,
): Record<string, string> {
  const configured = ctx.config.crawl.baseUrls[adapter.id] ?? {};
  return Object.fromEntries(
    Object.entries(adapter.defaultBaseUrls).map(([role, real]) => [
      role,
      (override ?? configured[role] ?? real).replace(/\/+$/, ''),
    ]),
  );
}

/**
 * Runs one source: lock, crawl, upsert, decide the outcome, record the run. Never throws for
 * crawl trouble (that becomes the run's outcome); throws `CRAWL_RUNNING` when the source is busy.
 *
 * Rules that keep data safe: calls are only written from freshly fetched records; a call is only
 * marked "no longer listed" after a complete listing that is not suspiciously short (below
 * `partialRatio` of the last good one) and read every row the source states it holds; a failed,
 * blocked or partial run marks nothing.
 */
export async function runCrawl(
  ctx: AppContext,
  adapter: SourceAdapter,
  options: RunOptions = {},
): Promise<RunSummary> {
  const { db } = ctx.dbh;
  const now = options.now ?? new Date();
  const startedAt = now.toISOString();
  const sourceRow = ensureSourceRow(ctx, adapter, now);
  const runId = acquireLock(ctx, adapter.id, options.trigger ?? 'cli', now);
  const baseUrls = resolveBaseUrls(ctx, adapter, options.baseUrl);
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });

  const s = {
    fetched: 0,
    newCount: 0,
    changedCount: 0,
    unchangedCount: 0,
    delistedCount: 0,
    errors: [] as RunSummary['errors'],
    touched: [] as string[],
  };
  const heartbeat = startHeartbeat(ctx, runId, s);

  const cctx = crawlContext(ctx, adapter, { runId, baseUrls, now, signal: abort.signal, options, s });
  const scope = { db, adapter, now, runId, logger: cctx.logger };

  let listing: Extract<CrawlItem, { type: 'listing' }> | undefined;
  let fatal: CrawlError | undefined;
  const handle = (item: CrawlItem) => {
    switch (item.type) {
      case 'call':
        storeCall(scope, s, item);
        break;
      case 'seen':
        storeSeen(scope, s, item);
        break;
      case 'error':
        s.errors.push(item.error.toRecord());
        break;
      case 'listing':
        listing = item;
        break;
    }
  };

  try {
    for await (const item of adapter.crawl(cctx)) {
      handle(item);
      if (abort.signal.aborted) throw new CrawlError('network', 'run aborted', { errorClass: 'critical' });
    }
  } catch (err) {
    fatal = abort.signal.aborted
      ? new CrawlError('network', 'run aborted (shutdown)', { errorClass: 'critical' })
      : toCrawlError(err);
    s.errors.push(fatal.toRecord());
  } finally {
    clearInterval(heartbeat);
    options.signal?.removeEventListener('abort', onOuterAbort);
  }

  const finishedAt = new Date();
  const outcome = decideOutcome(ctx, adapter, { sourceRow, fatal, listing, now, finishedAt, s });

  finishRun(ctx, runId, outcome, finishedAt, s);

  const summary: RunSummary = {
    runId,
    source: adapter.id,
    outcome,
    startedAt,
    finishedAt: finishedAt.toISOString(),
    fetched: s.fetched,
    listed: listing?.ids.length ?? 0,
    newCount: s.newCount,
    changedCount: s.changedCount,
    unchangedCount: s.unchangedCount,
    delistedCount: s.delistedCount,
    errorCount: s.errors.length,
    errors: s.errors,
    touchedIds: [...new Set(s.touched)],
  };
  const line = `crawl ${adapter.id}: ${outcome} — ${summary.newCount} new, ${summary.changedCount} changed, ${summary.unchangedCount} unchanged, ${summary.delistedCount} no longer listed, ${summary.errorCount} errors`;
  if (fatal)
    ctx.logger.error(
      { source: adapter.id, runId, kind: fatal.kind, url: fatal.url },
      `${line}: ${fatal.message}`,
    );
  else ctx.logger.info({ source: adapter.id, runId }, line);

  for (const hook of runFinishedHooks) {
    try {
      await hook(ctx, summary);
    } catch (err) {
      ctx.logger.error({ err, source: adapter.id }, 'run-finished hook failed');
    }
  }
  return summary;
}

/** The latest runs, newest first. */
export function listRuns(ctx: AppContext, limit = 50) {
  return ctx.dbh.db.select().from(crawlRuns).orderBy(desc(crawlRuns.id)).limit(limit).all();
}
