import type Database from 'better-sqlite3';
import { pageCacheKb, withPageCache } from '../../db/client.ts';
import type { AppContext } from '../context.ts';
import type { CallScores, Engine } from './engine.ts';
import { type CallFacts, callFacts } from './facts.ts';
import { type LoadedCall, selectIn } from './load-calls.ts';
import { activeEngine, getActiveRuleSet } from './rule-store.ts';
import { matchRowFormat, Signature } from './signature.ts';
import type { TokenHelper } from './token-ahead.ts';
import { type CachedCall, callsForRun, tokenHelperFor, type WorkerChoice } from './token-cache.ts';
import { type ChangedCall, writeChangedRows } from './write-rows.ts';

/** (Re-)matching stored calls: full and incremental runs, warming. */

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
  // Every stored call queued (a first import, say): a full run reads them in one pass and, with
  // many, tokenises on a worker thread; its rows are the same.
  const unqueued = ctx.dbh.sqlite
    .prepare('SELECT count(*) AS n FROM calls WHERE id NOT IN (SELECT call_id FROM match_queue)')
    .get() as { n: number };
  if (unqueued.n === 0) return matchCalls(ctx, options);
  return matchCalls(ctx, { callIds: ids, ...options });
}
