import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { compileEngine, type Engine } from './engine.ts';
import { type Explanation, explain } from './explain.ts';
import { loadCallsForMatching } from './load-calls.ts';
import { activeEngine, engines, getActiveRuleSet, insertVersion, type VersionRow } from './rule-store.ts';
import { type MatchRunResult, matchCalls } from './runner.ts';
import { factsFor } from './token-cache.ts';

/**
 * The public API of matching: rule set versions, (re-)matching stored calls, preview of a
 * draft rule set and explanations. Everything is synchronous (better-sqlite3).
 */

export { type PreviewMove, type PreviewTarget, previewRuleSet, type RankedPlace } from './preview.ts';
export {
  type ActiveRuleSet,
  getActiveRuleSet,
  listRuleSetVersions,
} from './rule-store.ts';
export { type MatchRunResult, matchCalls, matchPending, warmMatching } from './runner.ts';
export { isWarm } from './token-cache.ts';

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

/** Why (and why not) a call scores as it does for one target, computed now with the active rules. */
export function explainMatch(
  ctx: AppContext,
  callId: string,
  target: string,
  options: { now?: Date } = {},
): Explanation {
  if (!activeEngine(ctx).engine.targetIndex.has(target))
    throw new AppError('NOT_FOUND', `unknown action field or measure "${target}"`);
  return explainTargets(ctx, callId, [target], { ...options, whyNot: true }).get(target)!;
}

/**
 * Explanations of one call for several targets, computed now with the active rules (stored
 * rows keep only the reason lines): the call is read and scored once. `whyNot` adds, for each
 * rule of a target that did not fire, the failing part of its condition. A target the active
 * concept no longer has (a stored row from before a concept change, until the next full
 * re-match) gets no explanation: its row still shows with its stored reason.
 */
export function explainTargets(
  ctx: AppContext,
  callId: string,
  targets: readonly string[],
  options: { now?: Date; whyNot?: boolean } = {},
): Map<string, Explanation> {
  const { engine } = activeEngine(ctx);
  const known = targets.filter((target) => engine.targetIndex.has(target));
  if (known.length === 0) return new Map();
  const [call] = loadCallsForMatching(ctx.dbh.sqlite, [callId]);
  if (!call) throw new AppError('NOT_FOUND', `unknown call "${callId}"`);
  const [f] = factsFor(engine, [call], options.now ?? new Date());
  const sc = engine.score(f!);
  const evidenceCache = new Map();
  return new Map(
    known.map((target) => [
      target,
      explain(engine, f!, sc, engine.targetIndex.get(target)!.index, {
        whyNot: options.whyNot,
        evidenceCache,
      }),
    ]),
  );
}

/** A call's place in a target's ranking (1-based, eligibility tier first, then score). */
