import { hostname } from 'node:os';
import { and, desc, eq } from 'drizzle-orm';
import { crawlRuns, httpCache, sources } from '../db/schema/index.ts';
import {
  getCall,
  getCrawlState,
  markDelisted,
  setListFingerprint,
  touchCall,
  upsertCall,
} from '../src/calls/store.ts';
import type { AppContext } from '../src/context.ts';
import { archivedFrom, computeStatus, type Deadline } from '../src/domain/call.ts';
import type { CrawlOutcome } from '../src/domain/enums.ts';
import { AppError } from '../src/errors.ts';
import { CrawlError, toCrawlError } from './errors.ts';
import { HttpClient, type ValidatorStore } from './http.ts';
import type { CrawlContext, CrawlItem, SourceAdapter } from './types.ts';

const MAX_STORED_ERRORS = 200;

export type CrawlTrigger = 'schedule' | 'cli' | 'api' | 'test';

export interface RunOptions {
  trigger?: CrawlTrigger;
  /** Points every host role of the source at this one server (paths unchanged). */
  baseUrl?: string;
  signal?: AbortSignal;
  /** The run's clock (tests pin it). */
  now?: Date;
  onProgress?: (source: string, label: string, done: number, total?: number) => void;
}

export interface RunSummary {
  runId: number;
  source: SourceAdapter['id'];
  outcome: Exclude<CrawlOutcome, 'running'>;
  startedAt: string;
  finishedAt: string;
  fetched: number;
  listed: number;
  newCount: number;
  changedCount: number;
  unchangedCount: number;
  delistedCount: number;
  errorCount: number;
  errors: Array<{ kind: string; url?: string; message: string }>;
  /** Ids of calls that are new, changed or delisted in this run (for incremental re-matching). */
  touchedIds: string[];
}

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
function acquireLock(ctx: AppContext, source: SourceAdapter['id'], trigger: CrawlTrigger, now: Date): number {
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

function validatorStore(ctx: AppContext): ValidatorStore {
  const { db } = ctx.dbh;
  return {
    get(url) {
      const row = db.select().from(httpCache).where(eq(httpCache.url, url)).get();
      return row ? { etag: row.etag ?? undefined, lastModified: row.lastModified ?? undefined } : undefined;
    },
    set(url, v) {
      const values = {
        etag: v.etag ?? null,
        lastModified: v.lastModified ?? null,
        updatedAt: new Date().toISOString(),
      };
      db.insert(httpCache)
        .values({ url, ...values })
        .onConflictDoUpdate({ target: httpCache.url, set: values })
        .run();
    },
  };
}

function ensureSourceRow(ctx: AppContext, adapter: SourceAdapter, now: Date) {
  const { db } = ctx.dbh;
  db.insert(sources)
    .values({ id: adapter.id, name: adapter.name, updatedAt: now.toISOString() })
    .onConflictDoNothing()
    .run();
  return db.select().from(sources).where(eq(sources.id, adapter.id)).get()!;
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

  const http = new HttpClient({
    userAgent: ctx.config.crawl.userAgent,
    minDelayMs: ctx.config.crawl.minDelayMs,
    timeoutMs: ctx.config.crawl.timeoutMs,
    maxBytes: ctx.config.crawl.maxBytes,
    retries: ctx.config.crawl.retries,
    backoffMs: ctx.config.crawl.backoffMs,
    maxRetryAfterMs: ctx.config.crawl.maxRetryAfterMs,
    allowedHosts: Object.values(baseUrls).map((u) => new URL(u).host),
    validators: validatorStore(ctx),
    signal: abort.signal,
    onRequest: () => {
      s.fetched++;
    },
  });

  const cctx: CrawlContext = {
    config: ctx.config,
    logger: ctx.logger.child({ source: adapter.id, runId }),
    http,
    baseUrls,
    now,
    signal: abort.signal,
    known(id) {
      const st = getCrawlState(db, id);
      return st
        ? { fingerprint: st.fingerprint, fetchedAt: st.fetchedAt, delisted: st.delistedAt !== null }
        : undefined;
    },
    resume: {
      get: () =>
        db.select({ r: sources.resumeState }).from(sources).where(eq(sources.id, adapter.id)).get()?.r ??
        null,
      set: (state) =>
        db
          .update(sources)
          .set({ resumeState: state ?? null, updatedAt: new Date().toISOString() })
          .where(eq(sources.id, adapter.id))
          .run(),
    },
    progress: (label, done, total) => options.onProgress?.(adapter.id, label, done, total),
  };

  let listing: Extract<CrawlItem, { type: 'listing' }> | undefined;
  let fatal: CrawlError | undefined;
  const handle = (item: CrawlItem) => {
    switch (item.type) {
      case 'call': {
        let outcome: ReturnType<typeof upsertCall>;
        try {
          outcome = upsertCall(db, item.call, {
            now,
            crawlRunId: runId,
            onWarning: (message) => cctx.logger.warn({ callId: item.call.id }, message),
          });
        } catch (err) {
          // A record that fails the Call schema is one bad record, not a broken source.
          const message = err instanceof Error ? err.message.slice(0, 500) : String(err);
          s.errors.push({
            kind: 'parse',
            url: item.call.provenance?.sourceUrl,
            message: `${item.call.id}: ${message}`,
          });
          break;
        }
        // A published date that does not exist was left out, not rolled over: say so.
        for (const n of item.call.notices)
          if (n.startsWith('invalid-date:'))
            cctx.logger.warn(
              { callId: item.call.id, url: item.call.provenance?.sourceUrl },
              `${item.call.id}: date "${n.slice(13).trim()}" does not exist; no deadline taken from it`,
            );
        setListFingerprint(db, item.call.id, item.fingerprint ?? null);
        if (outcome === 'new') s.newCount++;
        else if (outcome === 'changed') s.changedCount++;
        else s.unchangedCount++;
        if (outcome !== 'unchanged') s.touched.push(item.call.id);
        break;
      }
      case 'seen': {
        const stored = getCall(db, item.id);
        if (!stored) break;
        // Time passes: a listed call whose deadline has gone by is closed by the dates, and a
        // yearly deadline moves on to its next date, with history.
        const deadlines = adapter.deadlinesAsOf?.(stored, now) ?? stored.deadlines;
        const status = computeStatus(deadlines, stored.openingDate, now, archivedFrom(stored));
        const key = (ds: readonly Deadline[]) =>
          ds.map((d) => `${d.at}|${d.stage}|${d.raw}|${d.label ?? ''}`).join('\n');
        const { firstSeenAt: _f, lastSeenAt: _l, delistedAt: _d, ...call } = stored;
        if (
          (status !== stored.status || key(deadlines) !== key(stored.deadlines)) &&
          upsertCall(db, { ...call, deadlines, status }, { now, crawlRunId: runId }) === 'changed'
        ) {
          s.changedCount++;
          s.touched.push(item.id);
        } else s.unchangedCount++;
        touchCall(db, item.id, { now, fingerprint: item.fingerprint });
        break;
      }
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

  let outcome: RunSummary['outcome'];
  const finishedAt = new Date();
  if (fatal) {
    outcome = fatal.kind === 'blocked' || fatal.kind === 'robots' ? 'blocked' : 'failed';
  } else if (!listing) {
    outcome = 'failed';
    s.errors.push({ kind: 'layout', message: 'source ended without reporting its listing' });
  } else {
    const lastGood = sourceRow.lastGoodListingCount;
    const tooShort =
      lastGood !== null && lastGood > 0 && listing.ids.length < ctx.config.crawl.partialRatio * lastGood;
    if (tooShort) {
      s.errors.push({
        kind: 'layout',
        message: `listing returned ${listing.ids.length} calls, last good listing ${lastGood}: treated as partial`,
      });
    }
    // Fewer rows read than the source says it holds: a page came back empty or short.
    const shortfalls = (listing.counts ?? []).filter((c) => c.read < c.stated);
    for (const c of shortfalls) {
      s.errors.push({
        kind: 'layout',
        message: `listing read ${c.read} of the ${c.stated} rows the source states (${c.label}): treated as partial`,
      });
    }
    const complete = listing.complete && shortfalls.length === 0;
    if (!listing.complete && !tooShort) s.errors.push({ kind: 'layout', message: 'listing incomplete' });
    if (complete && !tooShort) {
      const delisted = markDelisted(db, adapter.id, new Set(listing.ids), now);
      s.delistedCount = delisted.length;
      s.touched.push(...delisted);
      db.update(sources)
        .set({
          lastGoodListingCount: listing.ids.length,
          resumeState: null,
          updatedAt: finishedAt.toISOString(),
        })
        .where(eq(sources.id, adapter.id))
        .run();
      outcome = s.errors.length > 0 ? 'partial' : 'ok';
    } else outcome = 'partial';
  }

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
