import type { AppContext } from '../context.ts';
import type { Eligibility } from '../domain/enums.ts';
import { type CallScores, compareRanked, compileEngine, eligibilityNames } from './engine.ts';
import { callFacts } from './facts.ts';
import { loadCallsForMatching } from './load-calls.ts';
import { activeEngine } from './rule-store.ts';
import { factsFor } from './token-cache.ts';

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
