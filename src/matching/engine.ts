/**
 * The engine: `compileEngine` turns a rule set and the concept into closures and tables once;
 * scoring a call (`engine/score.ts`) then runs on those. Conditions compile in `engine/conditions.ts`.
 */
import type { Concept } from '../concept/schema.ts';
import type { Eligibility } from '../domain/enums.ts';
import { AppError } from '../errors.ts';
import { type CompiledCondition, compileCondition, conditionId } from './engine/conditions.ts';
import { type CallScores, type ScoreState, scoreCall } from './engine/score.ts';
import { isEvidenceStem } from './evidence.ts';
import { type CallFacts, type CityProfile, cityFact, cityProfile } from './facts.ts';
import { WildIndex } from './operators.ts';
import { bm25Table, conceptTargets, type MatchTarget, profileStems, profileText } from './profiles.ts';
import type { Condition, Effect, Rule, RuleSet, Scoring } from './rules-schema.ts';
import { parseRuleSet } from './rules-schema.ts';
import { hashString } from './signature.ts';
import { stopwords } from './text.ts';
import { stemVocab } from './vocab.ts';

export type { ConditionOutcome } from './engine/conditions.ts';
export type { CallScores } from './engine/score.ts';

export interface CompiledRule {
  rule: Rule;
  index: number;
  /** Target indices the effect applies to. */
  targets: number[];
  cond: CompiledCondition;
}

export const eligibilityNames: readonly Eligibility[] = ['eligible', 'unclear', 'excluded'];

export interface Engine {
  ruleSet: RuleSet;
  scoring: Scoring;
  targets: MatchTarget[];
  targetIndex: Map<string, MatchTarget>;
  rules: CompiledRule[];
  city: CityProfile;
  score(f: CallFacts): CallScores;
  /** The stems of the call that carry most of the text relevance for one target. */
  textTerms(f: CallFacts, target: number, limit?: number): { term: string; weight: number }[];
  /** The rules whose effect applies to each target (by target index). */
  rulesFor: CompiledRule[][];
  bm25(f: CallFacts, target: number): number;
  /** Per rule (by index): a hash of its definition; explanations depend on the fired rules' definitions. */
  ruleHashes: readonly number[];
  /** A hash of what every explanation depends on besides the rules: concept, vocabulary, scoring. */
  profileKey: number;
}

/**
 * Compiles a rule set against the concept once: conditions become closures, targets indices,
 * profiles a BM25 weight table. Scoring a call is then a pass over the rules plus one map
 * lookup per distinct stem of the call.
 */
export function compileEngine(input: RuleSet | unknown, concept: Concept): Engine {
  const targets = conceptTargets(concept);
  const targetIndex = new Map(targets.map((t) => [t.id, t]));
  const ruleSet = parseRuleSet(input, new Set(targetIndex.keys()));
  const city = cityProfile(concept);
  const wild = new WildIndex();
  const resolve = (name: string) => cityFact(city, name);
  const rules: CompiledRule[] = [];
  // Rules with the same conditions (one per effect or target group) share one evaluation per call.
  const distinct = new Map<string, number>();
  const condOf: number[] = [];
  const conds: CompiledCondition[] = [];
  ruleSet.rules.forEach((rule, i) => {
    if (!rule.enabled) return;
    const ids = Array.isArray(rule.target) ? rule.target : [rule.target];
    const idx = ids.includes('all')
      ? targets.map((t) => t.index)
      : ids.map((id) => targetIndex.get(id)!.index);
    const c = rule.conditions as Condition;
    const key = JSON.stringify(c);
    let ci = distinct.get(key);
    if (ci === undefined) {
      ci = conds.length;
      distinct.set(key, ci);
      conds.push(compileCondition(c, `rules.${i}.conditions`, wild, resolve));
    }
    condOf.push(ci);
    rules.push({ rule, index: rules.length, targets: [...new Set(idx)], cond: conds[ci]! });
  });
  // Process-wide ids of the conditions (with the city profile they were resolved against), so a
  // call's memo of condition results outlives rule set versions; date-dependent ones are never kept.
  const cityKey = JSON.stringify(city);
  const globalCond = Int32Array.from(distinct.keys(), (key) => conditionId(`${key}\u0000${cityKey}`));
  const volatile = Uint8Array.from(distinct.keys(), (key) =>
    /"fact":"(daysToDeadline|status)"/.test(key) ? 1 : 0,
  );
  if (wild.size > 5000) throw new AppError('RULES_INVALID', 'too many wildcard terms (at most 5000)');

  // Factors per target as [rule index, factor], in rule order.
  const mulOf: [number, number][][] = targets.map(() => []);
  for (const r of rules) {
    const e: Effect = r.rule.effect;
    if (e.type === 'multiply') for (const t of r.targets) mulOf[t]!.push([r.index, e.factor]);
  }

  const profiles = targets.map((t) => ({
    index: t.index,
    stems: profileStems(profileText(concept, ruleSet, city, t)),
  }));
  // Fields and measures are indexed separately (their own IDF), then merged: target indices are disjoint.
  const merged = new Map<number, [number, number][]>();
  for (const part of [
    bm25Table(profiles.filter((p) => targets[p.index]!.kind === 'action-field')),
    bm25Table(profiles.filter((p) => targets[p.index]!.kind === 'measure')),
  ]) {
    for (const [stem, hits] of part) {
      if (stopwords.has(stem) || !isEvidenceStem(stem)) continue;
      const id = stemVocab.id(stem);
      merged.set(id, [...(merged.get(id) ?? []), ...hits]);
    }
  }
  const rulesFor = targets.map((t) => rules.filter((r) => r.targets.includes(t.index)));
  // Per rule: 0 add, 1 multiply (applied per target after the sums), 2 exclude, 3 unclear.
  const effects = rules.map((r) => {
    const e: Effect = r.rule.effect;
    const kind = e.type === 'add' ? 0 : e.type === 'multiply' ? 1 : e.type === 'exclude' ? 2 : 3;
    return { kind, value: e.type === 'add' ? e.points : 0, targets: Int32Array.from(r.targets) };
  });
  const isMeasure = Uint8Array.from(targets, (t) => (t.kind === 'measure' ? 1 : 0));
  const fieldOf = targets.map((t) => targetIndex.get(t.fieldKey)!.index);
  const scoring = ruleSet.scoring;
  const n = targets.length;
  // BM25 weights by stem id: row r of stem s is rowOf[s]; its targets and weights are
  // bmT/bmW[start[r]..start[r+1]], and dense[r] has the weight per target index (NaN where
  // the stem is not in the target's profile; the larger weight when both profiles have it).
  const maxStem = merged.size === 0 ? -1 : Math.max(...merged.keys());
  const rowOf = new Int32Array(maxStem + 1).fill(-1);
  const start: number[] = [0];
  const bmT: number[] = [];
  const bmW: number[] = [];
  const dense: Float64Array[] = [];
  for (const [stem, hits] of merged) {
    rowOf[stem] = dense.length;
    const row = new Float64Array(n).fill(Number.NaN);
    for (const [t, w] of hits) {
      bmT.push(t);
      bmW.push(w);
      const prev = row[t]!;
      row[t] = Number.isNaN(prev) ? w : Math.max(prev, w);
    }
    dense.push(row);
    start.push(bmT.length);
  }
  const bmStart = Int32Array.from(start);
  const bmTargets = Int32Array.from(bmT);
  const bmWeights = Float64Array.from(bmW);

  const headWeight = scoring.headWeight;
  const scratch = {
    held: new Uint8Array(conds.length),
    fired: new Uint8Array(rules.length),
    raw: new Float64Array(n),
    sums: new Float64Array(n),
  };
  const bm25All = (f: CallFacts, sums: Float64Array = new Float64Array(n)): Float64Array => {
    sums.fill(0);
    const stems = f.docs.text.stems;
    const { title, programme } = f.docs;
    for (let i = 0; i < stems.length; i++) {
      const st = stems[i]!;
      if (st > maxStem) continue;
      const r = rowOf[st]!;
      if (r < 0) continue;
      // Evidence in the title or programme weighs more than in the description.
      const w = headWeight !== 1 && (title.indexOf(st) >= 0 || programme.indexOf(st) >= 0) ? headWeight : 1;
      for (let k = bmStart[r]!, end = bmStart[r + 1]!; k < end; k++)
        sums[bmTargets[k]!]! += w * bmWeights[k]!;
    }
    return sums;
  };

  const profileKey = hashString(JSON.stringify([concept, ruleSet.vocabulary, ruleSet.scoring]));
  const state: ScoreState = {
    conds,
    condOf: Int32Array.from(condOf),
    globalCond,
    volatile,
    effects,
    mulOf,
    isMeasure,
    fieldOf: Int32Array.from(fieldOf),
    scoring,
    n,
    profileKey,
    bm25All,
    ...scratch,
  };
  return {
    ruleHashes: rules.map((r) => hashString(JSON.stringify(r.rule))),
    profileKey,
    ruleSet,
    scoring,
    targets,
    targetIndex,
    rules,
    city,
    rulesFor,
    score: (f) => scoreCall(state, f),
    bm25(f, target) {
      return bm25All(f)[target]!;
    },
    textTerms(f, target, limit = 5) {
      // The call's words whose stem has a weight in this target's profile, each shown as the
      // call's own word at the stem's first occurrence (so a word's German and English stems
      // count as one word, with the larger weight): the best `limit` by rounded weight, then by
      // word. One pass over the doc's stems per target, keeping only the best few: rows are made
      // for ~5 targets of every call, and a list of all weighted words per call cost more.
      const doc = f.docs.text;
      const stems = doc.stems;
      const top: { term: string; weight: number; token: number }[] = [];
      for (let si = 0; si < stems.length; si++) {
        const st = stems[si]!;
        if (st > maxStem) continue;
        const r = rowOf[st]!;
        if (r < 0) continue;
        const w = dense[r]![target]!;
        // NaN marks a stem that is not in this target's profile.
        if (Number.isNaN(w)) continue;
        const weight = Math.round(Math.max(0, w) * 100) / 100;
        const at = doc.first(si);
        const token = doc.tokenIdAt(at);
        let i = 0;
        while (i < top.length && top[i]!.token !== token) i++;
        if (i < top.length) {
          // The word's other stem: keep the larger weight, and its place among the others.
          if (weight <= top[i]!.weight) continue;
          top.splice(i, 1);
        } else if (top.length === limit && weight < top[limit - 1]!.weight) continue;
        const c = { term: doc.word(at), weight, token };
        let j = top.length;
        while (j > 0) {
          const e = top[j - 1]!;
          if ((c.weight - e.weight || e.term.localeCompare(c.term)) > 0) j--;
          else break;
        }
        if (j >= limit) continue;
        top.splice(j, 0, c);
        if (top.length > limit) top.pop();
      }
      return top.map(({ term, weight }) => ({ term, weight }));
    },
  };
}

/**
 * Ranking tier: eligible calls first, then calls whose eligibility is unclear, excluded calls
 * last; within a tier by score. An excluded call never ranks above an eligible or unclear one,
 * an unclear call never above an eligible one.
 */
export function rankTier(eligibility: Eligibility): number {
  return eligibility === 'eligible' ? 2 : eligibility === 'unclear' ? 1 : 0;
}

export interface Ranked {
  id: string;
  score: number;
  eligibility: Eligibility;
}

/** Best first: tier, then score, then id (stable across runs). */
export function compareRanked() {
  return (a: Ranked, b: Ranked): number =>
    rankTier(b.eligibility) - rankTier(a.eligibility) ||
    b.score - a.score ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
