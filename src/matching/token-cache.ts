import type Database from 'better-sqlite3';
import type { AppContext } from '../context.ts';
import type { Engine } from './engine.ts';
import { analyzeCall, type CallFacts, type CallMemo, callFacts, docsByFact, type TextFact } from './facts.ts';
import { forEachCallForMatching, type LoadedCall, selectIn } from './load-calls.ts';
import { hashString } from './signature.ts';
import type { TextDoc } from './text.ts';
import { startTokenHelper, type TokenHelper } from './token-ahead.ts';
import { callTexts, withoutTexts } from './token-batch.ts';

/**
 * The matcher's tokenised calls, kept between runs by call id and content hash, and how a run
 * gets its calls: from the cache, read and tokenised here, or (a first full run of many calls)
 * tokenised on a worker thread.
 */

/** A stored call as the matcher keeps it between runs: its facts without the long texts, and its tokens. */
export interface CachedCall {
  /** Content hash and applicants text (the content hash does not cover the latter). */
  key: string;
  /** Hash of id and key: the call's part of its match signature. */
  keyHash: number;
  call: LoadedCall;
  docs: Record<TextFact, TextDoc>;
  /** Condition results and text relevance, kept as long as the content is unchanged. */
  memo: CallMemo;
}

// Tokenised calls per call id and content hash.
const docCache = new Map<string, CachedCall>();

function cacheKey(c: { contentHash: string; applicantsText?: string | null; language: string }): string {
  return `${c.contentHash}|${c.language}|${c.applicantsText ?? ''}`;
}

function cacheCall(c: LoadedCall): CachedCall {
  const hit = docCache.get(c.id);
  if (hit && hit.key === cacheKey(c)) return hit;
  // The texts live on only as tokens; the facts need none of them.
  return cacheDocs(withoutTexts(c), analyzeCall(c));
}

function cacheDocs(c: LoadedCall, docs: Record<TextFact, TextDoc>): CachedCall {
  const key = cacheKey(c);
  const entry: CachedCall = { key, keyHash: hashString(`${c.id}\u0000${key}`), call: c, docs, memo: {} };
  docCache.set(c.id, entry);
  return entry;
}

export function factsFor(engine: Engine, calls: readonly LoadedCall[], now: Date): CallFacts[] {
  return calls.map((c) => {
    const entry = cacheCall(c);
    return callFacts(c, engine.city, { now }, entry.docs, entry.memo);
  });
}

interface LightRow {
  id: string;
  content_hash: string;
  language: string;
  applicants_text: string | null;
}

/** Calls kept tokenised at most; beyond, the cache is emptied at the start of a run. */
const cacheCap = 200_000;
/**
 * Calls from which a first full run tokenises on a worker thread: starting one (loading the
 * TypeScript loader and modules) costs about what tokenising ~3,000 calls does.
 */
const workerMinCalls = 4_000;

/**
 * Whether a first full run tokenises on a worker thread: by the number of calls when
 * undefined; `true` always, waiting for the worker to load before reading (so a test knows it
 * ran); `{ entry }` likewise with another worker entry (tests start one that fails).
 */
export type WorkerChoice = boolean | { entry: URL } | undefined;

export interface RunOptions {
  ids?: readonly string[];
  /** A worker thread to take over tokenising once it has loaded (a first full run). */
  helper?: TokenHelper<LoadedCall>;
  log?: AppContext['logger'];
  /** Counts the calls the worker tokenised. */
  stats?: { workerCalls: number };
}

/**
 * The calls of a run, from the token cache where their content is unchanged: only id, content
 * hash, language and applicants text are read for every call, full rows only for new or changed
 * calls (in id order, like a full read).
 */
export function callsForRun(
  sqlite: Database.Database,
  options: RunOptions,
  each: (entry: CachedCall) => void,
): CachedCall[] {
  const { ids } = options;
  // Nothing cached and every call wanted (the first run after a start): one pass over the full
  // rows. The light columns sit behind the long texts in a row, so reading them first would
  // cost a second walk over every text's pages.
  let delivered: Set<CachedCall> | undefined;
  if (!ids && docCache.size === 0) {
    const run: CachedCall[] = [];
    const add = (entry: CachedCall) => {
      run.push(entry);
      each(entry);
    };
    // A worker takes over tokenising once it has loaded; this thread tokenises until then.
    const { helper } = options;
    let handed = false;
    forEachCallForMatching(sqlite, undefined, (c) => {
      if (handed) return helper!.add(withoutTexts(c), callTexts(c));
      add(cacheCall(c));
      if (!helper?.ready()) return;
      helper.begin((call, docs) => {
        add(cacheDocs(call, docsByFact(docs)));
        if (options.stats) options.stats.workerCalls++;
      });
      handed = true;
    });
    const failed = handed ? helper!.finish() : undefined;
    if (failed === undefined) return run;
    options.log?.warn(
      { err: failed, tokenised: run.length },
      'tokenising worker failed; the matcher tokenises the other calls itself',
    );
    // The calls the worker handed over stay cached: the path below reads the others.
    delivered = new Set(run);
  }
  const sql = 'SELECT id, content_hash, language, applicants_text FROM calls';
  const light = ids
    ? selectIn<LightRow>(sqlite, `${sql} WHERE id IN`, ids)
    : (sqlite.prepare(`${sql} ORDER BY id`).all() as LightRow[]);
  // Emptied before, never during a run: every call of the run must stay in the cache.
  if (docCache.size + light.length > cacheCap) docCache.clear();
  const missing = light.filter((r) => {
    const key = cacheKey({
      contentHash: r.content_hash,
      language: r.language,
      applicantsText: r.applicants_text,
    });
    return docCache.get(r.id)?.key !== key;
  });
  // Tokenised as read; all in one statement when none is cached.
  forEachCallForMatching(
    sqlite,
    !ids && missing.length === light.length ? undefined : missing.map((r) => r.id),
    cacheCall,
  );
  const run = light.flatMap((r) => {
    const entry = docCache.get(r.id);
    return entry ? [entry] : [];
  });
  for (const entry of run) if (!delivered?.has(entry)) each(entry);
  return run;
}

/** A worker for the run's tokenising: only a first full run (nothing cached) of a database file. */
export function tokenHelperFor(
  sqlite: Database.Database,
  options: { callIds?: string[]; worker?: WorkerChoice },
): TokenHelper<LoadedCall> | undefined {
  const { worker } = options;
  if (options.callIds || docCache.size > 0 || worker === false || sqlite.memory) return undefined;
  if (worker === undefined) {
    const { n } = sqlite.prepare('SELECT count(*) AS n FROM calls').get() as { n: number };
    return n >= workerMinCalls ? startTokenHelper<LoadedCall>() : undefined;
  }
  const helper = startTokenHelper<LoadedCall>(worker === true ? undefined : worker.entry);
  helper.waitReady();
  return helper;
}

/** Forgets every tokenised call, so the next full run is a first one (tests). */
export function forgetTokenisedCalls(): void {
  docCache.clear();
}

/** Whether the matcher holds the call's tokens for its current content (see `warmMatching`). */
export function isWarm(callId: string, contentHash: string): boolean {
  return docCache.get(callId)?.key.startsWith(`${contentHash}|`) ?? false;
}
