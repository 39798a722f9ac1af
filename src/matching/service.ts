import { readFileSync } from 'node:fs';
import type { AppContext } from '../context.ts';
import type { Eligibility } from '../domain/enums.ts';
import { AppError } from '../errors.ts';
import { compareRanked, compileEngine, type Engine, eligibilityNames } from './engine.ts';
import { type Explanation, explain } from './explain.ts';
import { analyzeCall, type CallFacts, callFacts, type TextFact } from './facts.ts';
import { type LoadedCall, loadCallsForMatching } from './load-calls.ts';
import type { RuleSet } from './rules-schema.ts';
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
const docCache = new Map<string, { hash: string; docs: Record<TextFact, TextDoc> }>();

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

/** Validates (schema, targets, facts, operators), saves as the new active version and re-matches everything. */
export function saveRuleSet(
  ctx: AppContext,
  input: { rules: unknown; author: string; comment: string },
): { version: number } {
  if (!input.author?.trim()) {
    throw new AppError('VALIDATION_FAILED', 'author is required', {
      details: [{ path: 'author', message: 'required' }],
    });
  }
  getActiveRuleSet(ctx);
  compileEngine(input.rules, ctx.concept.concept);
  const version = insertVersion(ctx, input.rules, input.author, input.comment, null);
  matchCalls(ctx);
  return { version };
}

/** A new version that copies an old one (`restored_from`), active at once, with a full re-match. */
export function rollbackRuleSet(ctx: AppContext, version: number, author: string): { version: number } {
  getActiveRuleSet(ctx);
  const row = ctx.dbh.sqlite.prepare('SELECT * FROM rule_set_versions WHERE version = ?').get(version) as
    | VersionRow
    | undefined;
  if (!row) throw new AppError('NOT_FOUND', `rule set version ${version} does not exist`);
  const next = insertVersion(
    ctx,
    JSON.parse(row.rules),
    author,
    `Wiederhergestellt aus Version ${version}`,
    version,
  );
  matchCalls(ctx);
  return { version: next };
}

function factsFor(engine: Engine, calls: readonly LoadedCall[], now: Date): CallFacts[] {
  return calls.map((c) => {
    // The content hash does not cover the applicants text, so it is part of the key.
    const key = `${c.contentHash}|${c.applicantsText ?? ''}`;
    let hit = docCache.get(c.id);
    if (!hit || hit.hash !== key) {
      hit = { hash: key, docs: analyzeCall(c) };
      if (docCache.size > 200_000) docCache.clear();
      docCache.set(c.id, hit);
    }
    return callFacts(c, engine.city, { now }, hit.docs);
  });
}

export interface MatchRunResult {
  calls: number;
  rows: number;
  ruleVersion: number;
}

/**
 * Scores stored calls for every target and rewrites their rows in `matches` (pairs scoring at
 * least `minScore`, excluded ones included so their reason is visible), then clears
 * `needs_match`. All calls when `callIds` is omitted. A call's rows depend only on the call,
 * the rule set and the day, so an incremental run gives the same rows as a full one.
 */
export function matchCalls(
  ctx: AppContext,
  options: { callIds?: string[]; now?: Date } = {},
): MatchRunResult {
  const { version, engine } = activeEngine(ctx);
  const now = options.now ?? new Date();
  const calls = loadCallsForMatching(ctx.dbh.sqlite, options.callIds);
  const facts = factsFor(engine, calls, now);
  const matchedAt = now.toISOString();
  const s = ctx.dbh.sqlite;
  const del = s.prepare('DELETE FROM matches WHERE call_id = ?');
  const ins = s.prepare(
    `INSERT INTO matches (call_id, target, target_kind, score, eligibility, reason, explanation, rule_version, matched_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const clear = s.prepare('UPDATE calls SET needs_match = 0 WHERE id = ?');
  const min = engine.scoring.minScore;
  let rows = 0;
  const pending: unknown[][] = [];
  for (const f of facts) {
    const sc = engine.score(f);
    const cache = new Map();
    for (const t of engine.targets) {
      const score = sc.scores[t.index]!;
      if (score < min) continue;
      const ex = explain(engine, f, sc, t.index, { evidenceCache: cache });
      const { reason, ...rest } = ex;
      pending.push([
        f.callId,
        t.id,
        t.kind,
        score,
        ex.eligibility,
        reason,
        JSON.stringify(rest),
        version,
        matchedAt,
      ]);
    }
  }
  s.transaction(() => {
    if (!options.callIds) s.prepare('DELETE FROM matches').run();
    for (const c of calls) {
      if (options.callIds) del.run(c.id);
      clear.run(c.id);
    }
    for (const p of pending) ins.run(...p);
    rows = pending.length;
  })();
  return { calls: calls.length, rows, ruleVersion: version };
}

/** Re-matches the calls that are new or changed since their last match (`needs_match`). */
export function matchPending(ctx: AppContext, options: { now?: Date } = {}): MatchRunResult {
  const ids = (
    ctx.dbh.sqlite.prepare('SELECT id FROM calls WHERE needs_match = 1').all() as { id: string }[]
  ).map((r) => r.id);
  if (ids.length === 0) return { calls: 0, rows: 0, ruleVersion: getActiveRuleSet(ctx).version };
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

interface TopEntry {
  id: string;
  score: number;
  eligibility: Eligibility;
}

export interface PreviewTarget {
  target: string;
  entered: TopEntry[];
  left: TopEntry[];
  /** Calls whose score changed, largest moves first (at most 20). */
  moves: { id: string; before: number; after: number }[];
  feedback: { relevantDroppedOut: string[]; notRelevantEntered: string[] };
}

/**
 * Evaluates a draft rule set against the stored calls without saving anything: per target,
 * which calls enter or leave the top N, how scores move, and how stored feedback is affected
 * (relevant calls that would drop out of the top N, not-relevant calls that would enter it).
 */
export function previewRuleSet(ctx: AppContext, draft: unknown, options: { topN?: number; now?: Date } = {}) {
  const topN = options.topN ?? 10;
  const { version, engine: current } = activeEngine(ctx);
  const next = compileEngine(draft, ctx.concept.concept);
  const now = options.now ?? new Date();
  const calls = loadCallsForMatching(ctx.dbh.sqlite);
  const factsA = factsFor(current, calls, now);
  const factsB = calls.map((c, i) => callFacts(c, next.city, { now }, factsA[i]!.docs));
  const a = factsA.map((f) => current.score(f));
  const b = factsB.map((f) => next.score(f));
  const feedback = ctx.dbh.sqlite.prepare('SELECT call_id, target, verdict FROM feedback').all() as {
    call_id: string;
    target: string;
    verdict: 'relevant' | 'not_relevant';
  }[];
  const targets: PreviewTarget[] = [];
  for (const t of current.targets) {
    const tb = next.targetIndex.get(t.id)!;
    const listA = calls.map((c, i) => ({
      id: c.id,
      score: a[i]!.scores[t.index]!,
      eligibility: eligibilityNames[a[i]!.eligibility[t.index]!]!,
    }));
    const listB = calls.map((c, i) => ({
      id: c.id,
      score: b[i]!.scores[tb.index]!,
      eligibility: eligibilityNames[b[i]!.eligibility[tb.index]!]!,
    }));
    const topA = [...listA].sort(compareRanked()).slice(0, topN);
    const topB = [...listB].sort(compareRanked()).slice(0, topN);
    const inA = new Set(topA.map((x) => x.id));
    const inB = new Set(topB.map((x) => x.id));
    const moves = listA
      .map((x, i) => ({ id: x.id, before: x.score, after: listB[i]!.score }))
      .filter((m) => m.before !== m.after)
      .sort((x, y) => Math.abs(y.after - y.before) - Math.abs(x.after - x.before) || x.id.localeCompare(y.id))
      .slice(0, 20);
    const fb = feedback.filter((r) => r.target === t.id);
    targets.push({
      target: t.id,
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
  return {
    baseVersion: version,
    topN,
    calls: calls.length,
    changedTargets: targets.filter((t) => t.entered.length > 0 || t.left.length > 0).length,
    targets,
  };
}
