import type { ImportedCall } from '../calls/import-jsonl.ts';
import type { Engine } from '../matching/engine.ts';
import { callFacts } from '../matching/facts.ts';
import { familiesNamed, familyOf } from './families.ts';
import { gainOf, type Label, mustSeeRecallAt, ndcgAt } from './metrics.ts';

/**
 * Leave-programme-family-out cross-validation with fixed rules: the dev calls are split into
 * folds by programme family; a fold's figures are the ranking metrics computed on that
 * family's calls alone (each field ranked among them). Families that no rule names show how
 * the rules do on calls whose programme shaped no rule.
 */
export interface FoldResult {
  family: string;
  calls: number;
  /** Rules whose conditions name this family. */
  namedBy: string[];
  /** Mean nDCG@10 over the fields with a relevant call in the fold (undefined: none). */
  ndcg: number | undefined;
  fields: number;
  /** Mean must-see recall@20 over the fields with must-see calls in the fold. */
  mustSee: number | undefined;
}

export interface CrossValidation {
  folds: FoldResult[];
  meanNdcg: number;
  meanMustSee: number | undefined;
  /** Mean over the folds of families no rule names. */
  meanNdcgUnnamed: number | undefined;
  singleSupport: { rule: string; call: string }[];
  noSupport: string[];
}

const mean = (xs: number[]) => (xs.length === 0 ? undefined : xs.reduce((a, b) => a + b, 0) / xs.length);

export function crossValidate(
  engine: Engine,
  calls: readonly ImportedCall[],
  labels: ReadonlyMap<string, Label>,
  /** Per action field: all call ids (file ids), best first. */
  rankings: ReadonlyMap<string, readonly string[]>,
): CrossValidation {
  // An import keeps a source it does not crawl (bmz, other) as the call's funder.
  const familyOfId = new Map(
    calls.map((c) => [c.fileId, familyOf({ ...c.call, source: c.call.funder ?? c.call.source })]),
  );
  const named = new Map<string, string[]>();
  for (const r of engine.rules) {
    for (const fam of familiesNamed(r.rule.conditions))
      named.set(fam, [...(named.get(fam) ?? []), r.rule.id]);
  }
  const famKeys = [...new Set(familyOfId.values())].sort();
  const folds: FoldResult[] = famKeys.map((family) => {
    const ids = new Set([...familyOfId].filter(([, f]) => f === family).map(([id]) => id));
    const foldLabels = new Map([...labels].filter(([id]) => ids.has(id)));
    const nd: number[] = [];
    const ms: number[] = [];
    for (const [field, ranking] of rankings) {
      const r = ranking.filter((id) => ids.has(id));
      if ([...foldLabels.values()].some((l) => gainOf(l, field) > 0)) nd.push(ndcgAt(r, foldLabels, field));
      const m = mustSeeRecallAt(r, foldLabels, field);
      if (m !== undefined) ms.push(m);
    }
    return {
      family,
      calls: ids.size,
      namedBy: named.get(family) ?? [],
      ndcg: mean(nd),
      fields: nd.length,
      mustSee: mean(ms),
    };
  });
  const scored = folds.filter((f) => f.ndcg !== undefined);

  // Support of a rule: labelled-relevant calls it fires on (grade ≥ 2 for a target field, or
  // the call funds a target measure directly).
  const fieldOfTarget = new Map(engine.targets.map((t) => [t.index, t]));
  const support = new Map<number, string[]>();
  for (const c of calls) {
    const l = labels.get(c.fileId);
    if (!l || l.kiel_eligible === 'no') continue;
    const s = engine.score(callFacts(c.call, engine.city, { ignoreDeadlines: true }));
    for (const ri of s.fired) {
      const rule = engine.rules[ri]!;
      if (rule.rule.effect.type !== 'add') continue;
      const relevant = rule.targets.some((ti) => {
        const t = fieldOfTarget.get(ti)!;
        return t.kind === 'measure' ? l.measures.includes(t.id) : (l.grades[t.fieldKey] ?? 0) >= 2;
      });
      if (relevant) support.set(ri, [...(support.get(ri) ?? []), c.fileId]);
    }
  }
  const adds = engine.rules.filter((r) => r.rule.effect.type === 'add');
  return {
    folds,
    meanNdcg: mean(scored.map((f) => f.ndcg!)) ?? 0,
    meanMustSee: mean(folds.flatMap((f) => (f.mustSee === undefined ? [] : [f.mustSee]))),
    meanNdcgUnnamed: mean(scored.filter((f) => f.namedBy.length === 0).map((f) => f.ndcg!)),
    singleSupport: adds
      .filter((r) => support.get(r.index)?.length === 1)
      .map((r) => ({ rule: r.rule.id, call: support.get(r.index)![0]! })),
    noSupport: adds.filter((r) => !support.has(r.index)).map((r) => r.rule.id),
  };
}
