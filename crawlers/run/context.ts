/** The crawl context handed to an adapter: its fenced HTTP client, known calls and resume state. */
import { eq } from 'drizzle-orm';
import { httpCache, sources } from '../../db/schema/index.ts';
import { getCrawlState } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import { HttpClient, type ValidatorStore } from '../http.ts';
import type { CrawlContext, SourceAdapter } from '../types.ts';
import type { RunOptions, RunTally } from './types.ts';

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

export function crawlContext(
  ctx: AppContext,
  adapter: SourceAdapter,
  run: {
    runId: number;
    baseUrls: Record<string, string>;
    now: Date;
    signal: AbortSignal;
    options: RunOptions;
    s: RunTally;
  },
): CrawlContext {
  const { db } = ctx.dbh;
  const { runId, baseUrls, now, signal, options, s } = run;
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
    signal,
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
    signal,
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
  return cctx;
}
