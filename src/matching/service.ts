import { readFileSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { AppContext } from '../context.ts';
import type { Eligibility } from '../domain/enums.ts';
import { AppError } from '../errors.ts';
import { type CallScores, compareRanked, compileEngine, type Engine, eligibilityNames } from './engine.ts';
import { type Explanation, explain } from './explain.ts';
import { analyzeCall, type CallFacts, type CallMemo, callFacts, type TextFact } from './facts.ts';
import { type LoadedCall, loadCallsForMatching, selectIn } from './load-calls.ts';
import type { RuleSet } from './rules-schema.ts';
import { hashString, matchRowFormat, Signature } from './signature.ts';
import type { TextDoc } from './text.ts';

/**
 * The public API of matching: rule set versions, (re-)matching stored calls, preview of a
 * draft rule set and explanations. Everything is synchronous (better-sqlite3).
 */

export interface ActiveRuleSet {
  version: number;
  rules: RuleSet;
  createdAt: string;
  author: string;
  comment: string;
}

interface VersionRow {
  version: number;
  created_at: string;
  author: string;
  comment: string;
  rules: string;
  restored_from: number | null;
  active: number;
}

// Compiled engines per database handle and version; tokenised calls per call id and content hash.
const engines = new WeakMap<object, { version: number; engine: Engine }>();
const docCache = new Map<string, CachedCall>();

function insertVersion(
  ctx: AppContext,
  rules: unknown,
  author: string,
  comment: string,
  restoredFrom: number | null,
) {
  const s = ctx.dbh.sqlite;
  const createdAt = new Date().toISOString();
  return s.transaction(() => {
    s.prepare('UPDATE rule_set_versions SET active = 0 WHERE active = 1').run();
    const info = s
      .prepare(
        'INSERT INTO rule_set_versions (created_at, author, comment, rules, restored_from, active) VALUES (?, ?, ?, ?, ?, 1)',
      )
      .run(createdAt, author, comment, JSON.stringify(rules), restoredFrom);
    return Number(info.lastInsertRowid);
  })();
}

/** The active rule set; on first start version 1 is seeded from `config.rulesFile`. */
export function getActiveRuleSet(ctx: AppContext): ActiveRuleSet {
  const s = ctx.dbh.sqlite;
  let row = s.prepare('SELECT * FROM rule_set_versions WHERE active = 1').get() as VersionRow | undefined;
  if (!row) {
    const any = s.prepare('SELECT version FROM rule_set_versions LIMIT 1').get();
    if (!any) {
      let data: unknown;
      try {
        data = JSON.parse(readFileSync(ctx.config.rulesFile, 'utf8'));
      } catch (err) {
        throw new AppError('RULES_INVALID', `${ctx.config.rulesFile}: ${(err as Error).message}`, {
          cause: err,
        });
      }
      compileEngine(data, ctx.concept.concept);
      insertVersion(ctx, data, 'system', `Standardregeln aus ${ctx.config.rulesFile.split('/').pop()}`, null);
    } else {
      s.prepare(
        'UPDATE rule_set_versions SET active = 1 WHERE version = (SELECT MAX(version) FROM rule_set_versions)',
      ).run();
    }
    row = s.prepare('SELECT * FROM rule_set_versions WHERE active = 1').get() as VersionRow;
  }
  const engine = engineFor(ctx, row);
  return {
    version: row.version,
    rules: engine.ruleSet,
    createdAt: row.created_at,
    author: row.author,
    comment: row.comment,
  };
}

function engineFor(ctx: AppContext, row: VersionRow): Engine {
  const cached = engines.get(ctx.dbh);
  if (cached && cached.version === row.version) return cached.engine;
  const engine = compileEngine(JSON.parse(row.rules), ctx.concept.concept);
  engines.set(ctx.dbh, { version: row.version, engine });
  return engine;
}

function activeEngine(ctx: AppContext): { version: number; engine: Engine } {
  const { version } = getActiveRuleSet(ctx);
  return { version, engine: engines.get(ctx.dbh)!.engine };
}

export function listRuleSetVersions(ctx: AppContext) {
  getActiveRuleSet(ctx);
  const rows = ctx.dbh.sqlite
    .prepare(
      'SELECT version, created_at, author, comment, restored_from, active FROM rule_set_versions ORDER BY version DESC',
    )
    .all() as Omit<VersionRow, 'rules'>[];
  return rows.map((r) => ({
    version: r.version,
    createdAt: r.created_at,
    author: r.author,
    comment: r.comment,
    restoredFrom: r.restored_from,
    active: r.active === 1,
  }));
}

/** What a rule change did: the new version and the full re-match it ran. */
export interface SavedRuleSet {
  version: number;
  rematch: Pick<MatchRunResult, 'calls' | 'changedCalls' | 'writtenRows' | 'ms'>;
}

/**
 * Makes `rules` the active version and re-matches every call, in one transaction: if the
 * re-match fails, the previous version stays active with its matches.
 */
function activate(
  ctx: AppContext,
  rules: unknown,
  engine: Engine,
  meta: { author: string; comment: string; restoredFrom: number | null; now?: Date },
): SavedRuleSet {
  return ctx.dbh.sqlite.transaction(() => {
    const version = insertVersion(ctx, rules, meta.author, meta.comment, meta.restoredFrom);
    engines.set(ctx.dbh, { version, engine });
    try {
      const r = matchCalls(ctx, { now: meta.now });
      return {
        version,
        rematch: { calls: r.calls, changedCalls: r.changedCalls, writtenRows: r.writtenRows, ms: r.ms },
      };
    } catch (err) {
      engines.delete(ctx.dbh);
      throw err;
    }
  })();
}

/** Validates (schema, targets, facts, operators), saves as the new active version and re-matches everything. */
export function saveRuleSet(
  ctx: AppContext,
  input: { rules: unknown; author: string; comment: string; now?: Date },
): SavedRuleSet {
  if (!input.author?.trim()) {
    throw new AppError('VALIDATION_FAILED', 'author is required', {
      details: [{ path: 'author', message: 'required' }],
    });
  }
  getActiveRuleSet(ctx);
  const engine = compileEngine(input.rules, ctx.concept.concept);
  return activate(ctx, input.rules, engine, {
    author: input.author,
    comment: input.comment,
    restoredFrom: null,
    now: input.now,
  });
}

/** A new version that copies an old one (`restored_from`), active at once, with a full re-match. */
export function rollbackRuleSet(
  ctx: AppContext,
  version: number,
  author: string,
  options: { now?: Date } = {},
): SavedRuleSet {
  getActiveRuleSet(ctx);
  const row = ctx.dbh.sqlite.prepare('SELECT * FROM rule_set_versions WHERE version = ?').get(version) as
    | VersionRow
    | undefined;
  if (!row) throw new AppError('NOT_FOUND', `rule set version ${version} does not exist`);
  const rules = JSON.parse(row.rules);
  return activate(ctx, rules, compileEngine(rules, ctx.concept.concept), {
    author,
    comment: `Wiederhergestellt aus Version ${version}`,
    restoredFrom: version,
    now: options.now,
  });
}

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

function cacheKey(c: { contentHash: string; applicantsText?: string | null; language: string }): string {
  return `${c.contentHash}|${c.language}|${c.applicantsText ?? ''}`;
}

function cacheCall(c: LoadedCall): CachedCall {
  const key = cacheKey(c);
  const hit = docCache.get(c.id);
  if (hit && hit.key === key) return hit;
  // The texts live on only as tokens; the facts need none of them.
  const entry: CachedCall = {
    key,
    keyHash: hashString(`${c.id}\u0000${key}`),
    call: { ...c, title: '', summary: '', description: '' },
    docs: analyzeCall(c),
    memo: {},
  };
  docCache.set(c.id, entry);
  return entry;
}

function factsFor(engine: Engine, calls: readonly LoadedCall[], now: Date): CallFacts[] {
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
  needs_match: number;
}

/** Calls kept tokenised at most; beyond, the cache is emptied at the start of a run. */
const cacheCap = 200_000;

/**
 * The calls of a run, from the token cache where their content is unchanged: only id, content
 * hash, language and applicants text are read for every call, full rows only for new or changed
 * calls (in id order, like a full read).
 */
function callsForRun(sqlite: Database.Database, ids?: readonly string[]) {
  const sql = 'SELECT id, content_hash, language, applicants_text, needs_match FROM calls';
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
  const fresh = loadCallsForMatching(
    sqlite,
    missing.map((r) => r.id),
  );
  for (const c of fresh) cacheCall(c);
  return light.flatMap((r) => {
    const entry = docCache.get(r.id);
    return entry ? [{ entry, row: r }] : [];
  });
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
  ruleVersion: number;
  /** Milliseconds per phase: reading calls and signatures, scoring, writing. */
  ms: { read: number; score: number; write: number };
}

interface SigRow {
  call_id: string;
  signature: number;
}

interface StoredRow {
  target: string;
  score: number;
  eligibility: string;
  reason: string;
  explanation: string;
}

/**
 * Scores stored calls for every target and brings their rows in `matches` up to date (pairs
 * scoring at least `minScore`, excluded ones included so their reason is visible), then clears
 * `needs_match`. All calls when `callIds` is omitted. A call's rows depend only on the call,
 * the rule set and the day, so an incremental run gives the same rows as a full one.
 *
 * Every call is scored on every run; a call whose signature (`match_state`) is unchanged keeps
 * its rows untouched, and of a changed call only the rows that differ are written. A row's
 * `rule_version` and `matched_at` therefore say which version produced its current content and
 * when: a new rule version that leaves a match as it was does not touch it.
 */
export function matchCalls(
  ctx: AppContext,
  options: { callIds?: string[]; now?: Date } = {},
): MatchRunResult {
  const { version, engine } = activeEngine(ctx);
  const now = options.now ?? new Date();
  const s = ctx.dbh.sqlite;
  const t0 = performance.now();
  const run = callsForRun(s, options.callIds);
  const sigSql = 'SELECT call_id, signature FROM match_state';
  const sigs = options.callIds
    ? selectIn<SigRow>(
        s,
        `${sigSql} WHERE call_id IN`,
        run.map((r) => r.entry.call.id),
      )
    : (s.prepare(sigSql).all() as SigRow[]);
  const stored = new Map(sigs.map((r) => [r.call_id, r.signature]));

  const t1 = performance.now();
  const changed: { f: CallFacts; sc: CallScores; sig: number }[] = [];
  for (const { entry } of run) {
    const f = callFacts(entry.call, engine.city, { now }, entry.docs, entry.memo);
    const sc = engine.score(f);
    const sig = signatureOf(engine, entry, f, sc);
    if (stored.get(entry.call.id) !== sig) changed.push({ f, sc, sig });
  }

  const t2 = performance.now();
  const matchedAt = now.toISOString();
  const min = engine.scoring.minScore;
  const existing = s.prepare(
    'SELECT target, score, eligibility, reason, explanation FROM matches WHERE call_id = ?',
  );
  const ins = s.prepare(
    `INSERT INTO matches (call_id, target, target_kind, score, eligibility, reason, explanation, rule_version, matched_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const upd = s.prepare(
    `UPDATE matches SET score = ?, eligibility = ?, reason = ?, explanation = ?, rule_version = ?, matched_at = ?
     WHERE call_id = ? AND target = ?`,
  );
  const del = s.prepare('DELETE FROM matches WHERE call_id = ? AND target = ?');
  const setSig = s.prepare(
    'INSERT INTO match_state (call_id, signature) VALUES (?, ?) ON CONFLICT (call_id) DO UPDATE SET signature = excluded.signature',
  );
  const clear = s.prepare('UPDATE calls SET needs_match = 0 WHERE id = ? AND content_hash = ?');
  let written = 0;
  s.transaction(() => {
    for (const { f, sc, sig } of changed) {
      const before = new Map((existing.all(f.callId) as StoredRow[]).map((r) => [r.target, r]));
      const cache = new Map();
      for (const t of engine.targets) {
        const score = sc.scores[t.index]!;
        if (score < min) continue;
        const { reason, ...rest } = explain(engine, f, sc, t.index, { evidenceCache: cache });
        const explanation = JSON.stringify(rest);
        const old = before.get(t.id);
        before.delete(t.id);
        if (
          old &&
          old.score === score &&
          old.eligibility === rest.eligibility &&
          old.reason === reason &&
          old.explanation === explanation
        )
          continue;
        if (old) upd.run(score, rest.eligibility, reason, explanation, version, matchedAt, f.callId, t.id);
        else
          ins.run(f.callId, t.id, t.kind, score, rest.eligibility, reason, explanation, version, matchedAt);
        written++;
      }
      for (const target of before.keys()) {
        del.run(f.callId, target);
        written++;
      }
      setSig.run(f.callId, sig);
    }
    for (const { row } of run) if (row.needs_match) clear.run(row.id, row.content_hash);
  })();
  const t3 = performance.now();
  return {
    calls: run.length,
    rows: countRows(s, options.callIds && run.map((r) => r.entry.call.id)),
    changedCalls: changed.length,
    writtenRows: written,
    ruleVersion: version,
    ms: { read: Math.round(t1 - t0), score: Math.round(t2 - t1), write: Math.round(t3 - t2) },
  };
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
    for (const { entry } of callsForRun(ctx.dbh.sqlite, ids.slice(i, i + slice))) {
      engine.score(
        callFacts(entry.call, engine.city, { now: options.now ?? new Date() }, entry.docs, entry.memo),
      );
      done++;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { calls: done };
}

/** Whether the matcher holds the call's tokens for its current content (see `warmMatching`). */
export function isWarm(callId: string, contentHash: string): boolean {
  return docCache.get(callId)?.key.startsWith(`${contentHash}|`) ?? false;
}

/** Re-matches the calls that are new or changed since their last match (`needs_match`). */
export function matchPending(ctx: AppContext, options: { now?: Date } = {}): MatchRunResult {
  const ids = (
    ctx.dbh.sqlite.prepare('SELECT id FROM calls WHERE needs_match = 1').all() as { id: string }[]
  ).map((r) => r.id);
  if (ids.length === 0) {
    const ruleVersion = getActiveRuleSet(ctx).version;
    return {
      calls: 0,
      rows: 0,
      changedCalls: 0,
      writtenRows: 0,
      ruleVersion,
      ms: { read: 0, score: 0, write: 0 },
    };
  }
  return matchCalls(ctx, { callIds: ids, ...options });
}

/** Why (and why not) a call scores as it does for one target, computed now with the active rules. */
export function explainMatch(
  ctx: AppContext,
  callId: string,
  target: string,
  options: { now?: Date } = {},
): Explanation {
  const { engine } = activeEngine(ctx);
  const t = engine.targetIndex.get(target);
  if (!t) throw new AppError('NOT_FOUND', `unknown action field or measure "${target}"`);
  const [call] = loadCallsForMatching(ctx.dbh.sqlite, [callId]);
  if (!call) throw new AppError('NOT_FOUND', `unknown call "${callId}"`);
  const [f] = factsFor(engine, [call], options.now ?? new Date());
  return explain(engine, f!, engine.score(f!), t.index, { whyNot: true });
}

/** A call's place in a target's ranking (1-based, eligibility tier first, then score). */
export interface RankedPlace {
  id: string;
  title: string;
  rank: number;
  score: number;
  eligibility: Eligibility;
}

/** A call whose score, eligibility or place changed for a target: old → new. */
export interface PreviewMove {
  id: string;
  title: string;
  /** Scores before and after (kept flat for older clients). */
  before: number;
  after: number;
  rankBefore: number;
  rankAfter: number;
  eligibilityBefore: Eligibility;
  eligibilityAfter: Eligibility;
}

export interface PreviewTarget {
  target: string;
  /** The target's short name ("Ostseeraum 1"). */
  label: string;
  /** Any score, eligibility or place of a call changed for this target. */
  changed: boolean;
  /** The top N under the active rules and under the draft: a UI shows them side by side. */
  before: RankedPlace[];
  after: RankedPlace[];
  /** Calls in the draft's top N that were not in the active top N (their draft places), and back. */
  entered: RankedPlace[];
  left: RankedPlace[];
  /** Calls whose score, eligibility or place changed, largest score moves first (at most 20). */
  moves: PreviewMove[];
  feedback: { relevantDroppedOut: string[]; notRelevantEntered: string[] };
}

/**
 * Evaluates a draft rule set against the stored calls without saving anything: per target,
 * the top N before and after, which calls enter or leave it, how scores and places move, and
 * how stored feedback is affected (relevant calls that would drop out of the top N,
 * not-relevant calls that would enter it).
 */
export function previewRuleSet(ctx: AppContext, draft: unknown, options: { topN?: number; now?: Date } = {}) {
  const topN = options.topN ?? 10;
  const { version, engine: current } = activeEngine(ctx);
  const next = compileEngine(draft, ctx.concept.concept);
  const now = options.now ?? new Date();
  const calls = loadCallsForMatching(ctx.dbh.sqlite);
  const factsA = factsFor(current, calls, now);
  const factsB = calls.map((c, i) => callFacts(c, next.city, { now }, factsA[i]!.docs, factsA[i]!.memo));
  const a = factsA.map((f) => current.score(f));
  const b = factsB.map((f) => next.score(f));
  const feedback = ctx.dbh.sqlite.prepare('SELECT call_id, target, verdict FROM feedback').all() as {
    call_id: string;
    target: string;
    verdict: 'relevant' | 'not_relevant';
  }[];
  // Places in the full ranking of a target, by call index.
  const places = (scores: CallScores[], ti: number): RankedPlace[] => {
    const list = calls.map((c, i) => ({
      id: c.id,
      title: c.title,
      rank: 0,
      score: scores[i]!.scores[ti]!,
      eligibility: eligibilityNames[scores[i]!.eligibility[ti]!]!,
    }));
    const order = [...list].sort(compareRanked());
    order.forEach((x, r) => {
      x.rank = r + 1;
    });
    return list;
  };
  const targets: PreviewTarget[] = [];
  for (const t of current.targets) {
    const tb = next.targetIndex.get(t.id)!;
    const listA = places(a, t.index);
    const listB = places(b, tb.index);
    const top = (l: RankedPlace[]) => l.filter((x) => x.rank <= topN).sort((x, y) => x.rank - y.rank);
    const topA = top(listA);
    const topB = top(listB);
    const inA = new Set(topA.map((x) => x.id));
    const inB = new Set(topB.map((x) => x.id));
    const changedCalls = listA
      .map((x, i) => [x, listB[i]!] as const)
      .filter(([x, y]) => x.score !== y.score || x.eligibility !== y.eligibility || x.rank !== y.rank);
    const moves = changedCalls
      .map(([x, y]) => ({
        id: x.id,
        title: x.title,
        before: x.score,
        after: y.score,
        rankBefore: x.rank,
        rankAfter: y.rank,
        eligibilityBefore: x.eligibility,
        eligibilityAfter: y.eligibility,
      }))
      .sort(
        (x, y) =>
          Math.abs(y.after - y.before) - Math.abs(x.after - x.before) ||
          Math.abs(y.rankAfter - y.rankBefore) - Math.abs(x.rankAfter - x.rankBefore) ||
          x.id.localeCompare(y.id),
      )
      .slice(0, 20);
    const fb = feedback.filter((r) => r.target === t.id);
    targets.push({
      target: t.id,
      label: t.label,
      changed: changedCalls.length > 0,
      before: topA,
      after: topB,
      entered: topB.filter((x) => !inA.has(x.id)),
      left: topA.filter((x) => !inB.has(x.id)),
      moves,
      feedback: {
        relevantDroppedOut: [
          ...new Set(
            fb
              .filter((r) => r.verdict === 'relevant' && inA.has(r.call_id) && !inB.has(r.call_id))
              .map((r) => r.call_id),
          ),
        ],
        notRelevantEntered: [
          ...new Set(
            fb
              .filter((r) => r.verdict === 'not_relevant' && !inA.has(r.call_id) && inB.has(r.call_id))
              .map((r) => r.call_id),
          ),
        ],
      },
    });
  }
  const sameTop = (t: PreviewTarget) =>
    t.before.length === t.after.length && t.before.every((x, i) => x.id === t.after[i]!.id);
  return {
    baseVersion: version,
    topN,
    calls: calls.length,
    /** Targets where any call's score, eligibility or place changed. */
    changedTargets: targets.filter((t) => t.changed).length,
    /** Targets whose top N changed (calls entered, left or changed places). */
    changedTopTargets: targets.filter((t) => !sameTop(t)).length,
    targets,
  };
}
