import type { AppContext } from '../context.ts';
import type { Eligibility } from '../domain/enums.ts';
import { compareRanked, compileEngine, type Engine, eligibilityNames } from './engine.ts';
import { analyzeCall, callFacts } from './facts.ts';
import { loadCallsForMatching } from './load-calls.ts';
import { getActiveRuleSet } from './service.ts';

/**
 * The top-N lists of every target under the active rules and under a draft, side by side with
 * call titles and positions — what the rules editor shows as "old → new". `previewRuleSet`
 * (service.ts) reports entries and moves by id and score only; this fills in the positions.
 * A list holds the calls that would be stored as matches (score at least the rule set's
 * `scoring.minScore`), in the order the lists use (eligibility tier, score, id).
 */

export interface PositionRow {
  id: string;
  title: string;
  /** 1-based position in the old / new top N; null when not in it. */
  before: number | null;
  after: number | null;
  scoreBefore: number | null;
  scoreAfter: number | null;
  eligibilityAfter: Eligibility | null;
}

export interface TargetPositions {
  target: string;
  kind: 'action-field' | 'measure';
  /** The field's name or the measure's text. */
  name: string;
  /** Short name ("Ostseeraum 1" for a measure). */
  label: string;
  /** The new list in order, then the calls that left it (in their old order). */
  rows: PositionRow[];
}

interface Entry {
  i: number;
  id: string;
  score: number;
  eligibility: Eligibility;
}

function topOf(
  engine: Engine,
  scores: ReturnType<Engine['score']>[],
  ids: string[],
  t: number,
  topN: number,
) {
  const min = engine.scoring.minScore;
  const list: Entry[] = [];
  for (let i = 0; i < ids.length; i++) {
    const score = scores[i]!.scores[t]!;
    if (score >= min)
      list.push({ i, id: ids[i]!, score, eligibility: eligibilityNames[scores[i]!.eligibility[t]!]! });
  }
  return list.sort(compareRanked()).slice(0, topN);
}

/** Targets whose top N differ (members, order or scores) between the active rules and `draft`. */
export function topListChanges(
  ctx: AppContext,
  draft: unknown,
  options: { topN?: number; now?: Date } = {},
): TargetPositions[] {
  const topN = options.topN ?? 10;
  const now = options.now ?? new Date();
  const concept = ctx.concept.concept;
  const current = compileEngine(getActiveRuleSet(ctx).rules, concept);
  const next = compileEngine(draft, concept);
  const calls = loadCallsForMatching(ctx.dbh.sqlite);
  const ids = calls.map((c) => c.id);
  // The city profile comes from the concept alone, so one set of facts serves both rule sets.
  const facts = calls.map((c) => callFacts(c, current.city, { now }, analyzeCall(c)));
  const a = facts.map((f) => current.score(f));
  const b = facts.map((f) => next.score(f));
  const out: TargetPositions[] = [];
  for (const t of current.targets) {
    const tb = next.targetIndex.get(t.id);
    if (!tb) continue;
    const before = topOf(current, a, ids, t.index, topN);
    const after = topOf(next, b, ids, tb.index, topN);
    const same =
      before.length === after.length &&
      before.every((x, k) => x.id === after[k]!.id && x.score === after[k]!.score);
    if (same) continue;
    const oldPos = new Map(before.map((x, k) => [x.id, k + 1]));
    const newPos = new Map(after.map((x, k) => [x.id, k + 1]));
    const row = (x: Entry): PositionRow => ({
      id: x.id,
      title: calls[x.i]!.title,
      before: oldPos.get(x.id) ?? null,
      after: newPos.get(x.id) ?? null,
      scoreBefore: a[x.i]!.scores[t.index]!,
      scoreAfter: b[x.i]!.scores[tb.index]!,
      eligibilityAfter: newPos.has(x.id) ? x.eligibility : null,
    });
    out.push({
      target: t.id,
      kind: t.kind,
      name: t.name,
      label: t.label,
      rows: [...after.map(row), ...before.filter((x) => !newPos.has(x.id)).map(row)],
    });
  }
  return out;
}
