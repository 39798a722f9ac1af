import type Database from 'better-sqlite3';
import { pageCacheKb, withPageCache } from '../../db/client.ts';
import type { AppContext } from '../context.ts';
import type { CallScores, Engine } from './engine.ts';
import { analyzeCall, type CallFacts, type CallMemo, callFacts, docsByFact, type TextFact } from './facts.ts';
import { forEachCallForMatching, type LoadedCall, selectIn } from './load-calls.ts';
import { activeEngine, getActiveRuleSet } from './rule-store.ts';
import { hashString, matchRowFormat, Signature } from './signature.ts';
import type { TextDoc } from './text.ts';
import { startTokenHelper, type TokenHelper } from './token-ahead.ts';
import { callTexts, withoutTexts } from './token-batch.ts';
import { type ChangedCall, writeChangedRows } from './write-rows.ts';

/** (Re-)matching stored calls: the tokenised-call cache, full and incremental runs, warming. */

/** A stored call as the matcher keeps it between runs: its facts without the long texts, and its tokens. */
interface CachedCall {
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

interface RunOptions {
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
function callsForRun(
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
function tokenHelperFor(
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

/**
 * Everything the stored rows of a call are computed from: the call's content, the profiles
 * and scoring, the days to its deadline (explanations show day-based evidence), every score
 * and eligibility, and the definitions of the rules that fired (in rule order).
 */
function signatureOf(engine: Engine, entry: CachedCall, f: CallFacts, sc: CallScores): number {
  const sig = new Signature().add(matchRowFormat).add(entry.keyHash).add(engine.profileKey);
  const days = f.values.daysToDeadline;
  sig.add(typeof days === 'number' ? days : -(2 ** 40));
  for (let t = 0; t < sc.scores.length; t++) sig.add(Math.round(sc.scores[t]! * 10)).add(sc.eligibility[t]!);
  for (const ri of sc.fired) sig.add(engine.ruleHashes[ri]!);
  return sig.value();
}

export interface MatchRunResult {
  calls: number;
  /** Match rows these calls have after the run. */
  rows: number;
  /** Calls whose result changed (their rows were compared and rewritten where different). */
  changedCalls: number;
  /** Rows inserted, updated or deleted. */
  writtenRows: number;
  /** Calls tokenised on a worker thread (a first full run of many calls). */
  workerCalls: number;
  ruleVersion: number;
  /** Milliseconds per phase: reading calls and signatures, scoring, writing. */
  ms: { read: number; score: number; write: number };
}

interface SigRow {
  call_id: string;
  signature: number;
}

/**
 * Scores stored calls for every target and brings their rows in `matches` up to date (pairs
 * scoring at least `minScore`, excluded ones included so their reason is visible), then clears
 * their `match_queue` entries. All calls when `callIds` is omitted. A call's rows depend only
 * on the call, the rule set and the day, so an incremental run gives the same rows as a full one.
 *
 * Every call is scored on every run; a call whose signature (`match_state`) is unchanged keeps
 * its rows untouched, and of a changed call only the rows that differ are written. A row's
 * `rule_version` and `matched_at` therefore say which version produced its current content and
 * when: a new rule version that leaves a match as it was does not touch it.
 */
export function matchCalls(
  ctx: AppContext,
  options: { callIds?: string[]; now?: Date; worker?: WorkerChoice } = {},
): MatchRunResult {
  // A full run updates rows all over the matches table: the large page cache for its duration.
  if (options.callIds) return matchSome(ctx, options);
  return withPageCache(ctx.dbh.sqlite, pageCacheKb.fullRun, () => matchSome(ctx, options));
}

function matchSome(
  ctx: AppContext,
  options: { callIds?: string[]; now?: Date; worker?: WorkerChoice },
): MatchRunResult {
  // Started first: the worker loads while the rule engine is compiled.
  const helper = tokenHelperFor(ctx.dbh.sqlite, options);
  try {
    return matchWith(ctx, options, helper);
  } finally {
    helper?.stop();
  }
}

function matchWith(
  ctx: AppContext,
  options: { callIds?: string[]; now?: Date },
  helper: TokenHelper<LoadedCall> | undefined,
): MatchRunResult {
  const { version, engine } = activeEngine(ctx);
  const now = options.now ?? new Date();
  const s = ctx.dbh.sqlite;
  const t0 = performance.now();
  const sigSql = 'SELECT call_id, signature FROM match_state';
  const sigs = options.callIds
    ? selectIn<SigRow>(s, `${sigSql} WHERE call_id IN`, options.callIds)
    : (s.prepare(sigSql).all() as SigRow[]);
  const stored = new Map(sigs.map((r) => [r.call_id, r.signature]));

  // Each call is scored as soon as it is read and tokenised (by a worker thread, the next
  // calls are tokenised meanwhile).
  const changed: ChangedCall[] = [];
  let scoreMs = 0;
  const stats = { workerCalls: 0 };
  const run = callsForRun(s, { ids: options.callIds, helper, log: ctx.logger, stats }, (entry) => {
    const a = performance.now();
    const f = callFacts(entry.call, engine.city, { now }, entry.docs, entry.memo);
    const sc = engine.score(f);
    const sig = signatureOf(engine, entry, f, sc);
    if (stored.get(entry.call.id) !== sig) changed.push({ f, sc, sig });
    scoreMs += performance.now() - a;
  });
  const t1 = performance.now() - scoreMs;

  const t2 = performance.now();
  const matchedAt = now.toISOString();
  const queued = queuedHashes(s, options.callIds);
  // Only the content matched here leaves the queue: a call changed since it was read stays.
  const dequeue = s.prepare('DELETE FROM match_queue WHERE call_id = ? AND content_hash = ?');
  let written = 0;
  s.transaction(() => {
    written = writeChangedRows(s, engine, changed, version, matchedAt);
    for (const { call } of run) {
      const hash = queued.get(call.id);
      if (hash === call.contentHash) dequeue.run(call.id, hash);
    }
  })();
  const t3 = performance.now();
  return {
    calls: run.length,
    rows: countRows(s, options.callIds && run.map((entry) => entry.call.id)),
    changedCalls: changed.length,
    writtenRows: written,
    workerCalls: stats.workerCalls,
    ruleVersion: version,
    ms: { read: Math.round(t1 - t0), score: Math.round(t2 - t1), write: Math.round(t3 - t2) },
  };
}

/** Content hashes of the queued calls among `ids` (all when omitted). */
function queuedHashes(s: Database.Database, ids?: readonly string[]): Map<string, string> {
  const sql = 'SELECT call_id, content_hash FROM match_queue';
  const rows = ids
    ? selectIn<{ call_id: string; content_hash: string }>(s, `${sql} WHERE call_id IN`, ids)
    : (s.prepare(sql).all() as { call_id: string; content_hash: string }[]);
  return new Map(rows.map((r) => [r.call_id, r.content_hash]));
}

function countRows(s: Database.Database, ids?: string[]): number {
  if (!ids) return (s.prepare('SELECT count(*) AS n FROM matches').get() as { n: number }).n;
  const counts = selectIn<{ n: number }>(s, 'SELECT count(*) AS n FROM matches WHERE call_id IN', ids);
  return counts.reduce((sum, c) => sum + c.n, 0);
}

/**
 * Tokenises and scores every stored call in small slices, yielding to the event loop between
 * them, so the first rule change or re-match after a start does not pay for tokenising the whole
 * corpus while an administrator waits. Nothing is written. Stops early when `signal` aborts.
 */
export async function warmMatching(
  ctx: AppContext,
  options: { slice?: number; signal?: AbortSignal; now?: Date } = {},
): Promise<{ calls: number }> {
  const slice = options.slice ?? 250;
  const { engine } = activeEngine(ctx);
  const ids = (ctx.dbh.sqlite.prepare('SELECT id FROM calls ORDER BY id').all() as { id: string }[]).map(
    (r) => r.id,
  );
  let done = 0;
  for (let i = 0; i < ids.length; i += slice) {
    if (options.signal?.aborted) break;
    callsForRun(ctx.dbh.sqlite, { ids: ids.slice(i, i + slice) }, (entry) => {
      engine.score(
        callFacts(entry.call, engine.city, { now: options.now ?? new Date() }, entry.docs, entry.memo),
      );
      done++;
    });
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { calls: done };
}

/** Whether the matcher holds the call's tokens for its current content (see `warmMatching`). */
export function isWarm(callId: string, contentHash: string): boolean {
  return docCache.get(callId)?.key.startsWith(`${contentHash}|`) ?? false;
}

/** Re-matches the calls that are new or changed since their last match (`match_queue`). */
export function matchPending(ctx: AppContext, options: { now?: Date } = {}): MatchRunResult {
  const ids = (ctx.dbh.sqlite.prepare('SELECT call_id FROM match_queue').all() as { call_id: string }[]).map(
    (r) => r.call_id,
  );
  if (ids.length === 0) {
    const ruleVersion = getActiveRuleSet(ctx).version;
    return {
      calls: 0,
      rows: 0,
      changedCalls: 0,
      writtenRows: 0,
      workerCalls: 0,
      ruleVersion,
      ms: { read: 0, score: 0, write: 0 },
    };
  }
  return matchCalls(ctx, { callIds: ids, ...options });
}
