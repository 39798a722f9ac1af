import type { Eligibility } from '../domain/enums.ts';
import {
  type CallScores,
  type CompiledRule,
  type ConditionOutcome,
  type Engine,
  eligibilityNames,
} from './engine.ts';
import type { CallFacts } from './facts.ts';

/** Why a call scored as it did for one target; stored with each match. */
export interface Explanation {
  target: string;
  score: number;
  eligibility: Eligibility;
  /** One German line, also stored in `matches.reason`. */
  reason: string;
  reasonEn: string;
  rules: {
    id: string;
    name: string;
    effect: string;
    evidence: { fact: string; operator: string; found: string[] }[];
  }[];
  text: { points: number; terms: { term: string; weight: number }[] };
  exclusions: { ruleId: string; reason: string; reasonEn: string }[];
  unclear: { ruleId: string; reason: string; reasonEn: string }[];
  /** Only from `explainMatch`: rules for this target that did not fire and the conditions that failed. */
  whyNot?: { id: string; name: string; failed: ConditionOutcome }[];
}

/** The leaves that held (for fired rules): the terms or values that made a rule fire. */
export function evidenceOf(
  o: ConditionOutcome,
  out: { fact: string; operator: string; found: string[] }[],
): void {
  if (o.kind === 'leaf') {
    if (o.ok && o.evidence.length > 0) out.push({ fact: o.fact, operator: o.operator, found: o.evidence });
    return;
  }
  if (o.kind === 'not') return;
  for (const c of o.children) if (c.ok || o.kind === 'all') evidenceOf(c, out);
}

/** Keeps only the failing part of a condition tree. */
function failedPart(o: ConditionOutcome): ConditionOutcome {
  if (o.kind === 'leaf' || o.kind === 'not') return o;
  const children =
    o.kind === 'all' ? o.children.filter((c) => !c.ok).map(failedPart) : o.children.map(failedPart);
  return { ...o, children };
}

export function effectText(e: { type: string; points?: number; factor?: number }): string {
  if (e.type === 'add') return `${(e.points ?? 0) >= 0 ? '+' : ''}${e.points} points`;
  if (e.type === 'multiply') return `×${e.factor}`;
  return e.type;
}

/** Fired rules that add points, most points first. */
function positiveRules(fired: CompiledRule[]): CompiledRule[] {
  const points = (r: CompiledRule) => (r.rule.effect.type === 'add' ? r.rule.effect.points : 0);
  return fired.filter((r) => points(r) > 0).sort((a, b) => points(b) - points(a));
}

function strongest(fired: CompiledRule[]): CompiledRule | undefined {
  return positiveRules(fired)[0];
}

export function explain(
  engine: Engine,
  facts: CallFacts,
  scores: CallScores,
  targetIndex: number,
  options: {
    whyNot?: boolean;
    evidenceCache?: Map<number, { fact: string; operator: string; found: string[] }[]>;
  } = {},
): Explanation {
  const target = engine.targets[targetIndex]!;
  const fired = new Set(scores.fired);
  const cache = options.evidenceCache ?? new Map();
  const evidence = (ri: number) => {
    let ev = cache.get(ri);
    if (!ev) {
      ev = [];
      evidenceOf(engine.rules[ri]!.cond.explain(facts), ev);
      cache.set(ri, ev);
    }
    return ev;
  };
  const rules: Explanation['rules'] = [];
  const exclusions: Explanation['exclusions'] = [];
  const unclear: Explanation['unclear'] = [];
  const mine = engine.rulesFor[targetIndex]!;
  for (const r of mine) {
    if (!fired.has(r.index)) continue;
    const e = r.rule.effect;
    if (e.type === 'exclude')
      exclusions.push({ ruleId: r.rule.id, reason: e.reason, reasonEn: e.reasonEn ?? e.reason });
    else if (e.type === 'unclear')
      unclear.push({ ruleId: r.rule.id, reason: e.reason, reasonEn: e.reasonEn ?? e.reason });
    else rules.push({ id: r.rule.id, name: r.rule.name, effect: effectText(e), evidence: evidence(r.index) });
  }
  const score = scores.scores[targetIndex]!;
  const eligibility = eligibilityNames[scores.eligibility[targetIndex]!]!;
  const terms = engine.textTerms(facts, targetIndex, 5);
  const textPoints = Math.round(scores.textPoints[targetIndex]! * 10) / 10;
  const top = positiveRules(mine.filter((r) => fired.has(r.index))).slice(0, 2);
  const termList = terms
    .slice(0, 3)
    .map((t) => t.term)
    .join(', ');
  let reason: string;
  let reasonEn: string;
  if (exclusions.length > 0) {
    reason = `Ausgeschlossen: ${exclusions[0]!.reason}`;
    reasonEn = `Excluded: ${exclusions[0]!.reasonEn}`;
  } else {
    const de = top.map((r) => r.rule.name);
    const en = top.map((r) => r.rule.nameEn ?? r.rule.name);
    // A measure with no rule of its own scores through its action field: say so.
    const field =
      target.kind === 'measure' && top.length === 0 ? engine.targetIndex.get(target.fieldKey) : undefined;
    const via = field && strongest(engine.rulesFor[field.index]!.filter((r) => fired.has(r.index)));
    if (field && via) {
      de.push(`über das Handlungsfeld ${field.name} (${via.rule.name})`);
      en.push(`through the action field ${field.name} (${via.rule.nameEn ?? via.rule.name})`);
    }
    if (termList) {
      de.push(`Text: ${termList}`);
      en.push(`text: ${termList}`);
    }
    reason = `${target.label}: ${de.length > 0 ? de.join('; ') : 'kein Bezug erkannt'}`;
    reasonEn = `${target.label}: ${en.length > 0 ? en.join('; ') : 'no link found'}`;
    if (unclear.length > 0) {
      reason += ` (Antragsberechtigung unklar: ${unclear[0]!.reason})`;
      reasonEn += ` (eligibility unclear: ${unclear[0]!.reasonEn})`;
    }
  }
  const out: Explanation = {
    target: target.id,
    score,
    eligibility,
    reason,
    reasonEn,
    rules,
    text: { points: textPoints, terms },
    exclusions,
    unclear,
  };
  if (options.whyNot) {
    out.whyNot = mine
      .filter((r) => !fired.has(r.index))
      .map((r) => ({ id: r.rule.id, name: r.rule.name, failed: failedPart(r.cond.explain(facts)) }));
  }
  return out;
}
