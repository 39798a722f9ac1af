import { type CallScores, type CompiledRule, type Engine, eligibilityNames } from './engine.ts';
import { effectText, evidenceOf } from './explain.ts';
import type { CallFacts } from './facts.ts';

/**
 * The stored match rows of one call: for every target scoring at least `minScore`, the German
 * reason line and the explanation JSON, exactly as `explain` + `JSON.stringify` (without
 * `reason`) give them (test/matching/explain-rows.test.ts compares both on every dev call).
 *
 * Built for writing many rows: a call's explanations repeat the same rule entries across its
 * targets, so each entry's JSON is made once per call (exclusion and unclear entries once per
 * engine), and the rules' order by points once per engine instead of a sort per row.
 */

export interface RowText {
  target: number;
  score: number;
  eligibility: string;
  reason: string;
  explanation: string;
}

interface EngineParts {
  /** Per target: its fired-able add rules with points > 0, most points first (stable, as `explain`). */
  positive: CompiledRule[][];
  /** Per rule index: JSON of its exclusion or unclear entry (rule-only), else undefined. */
  notice: (string | undefined)[];
  /** Per target: its action field (for measures). */
  field: (number | undefined)[];
  /** Per target: `{"target":"…"` prefix. */
  head: string[];
}

const parts = new WeakMap<Engine, EngineParts>();

function partsOf(engine: Engine): EngineParts {
  let p = parts.get(engine);
  if (p) return p;
  const points = (r: CompiledRule) => (r.rule.effect.type === 'add' ? r.rule.effect.points : 0);
  p = {
    positive: engine.rulesFor.map((mine) =>
      mine.filter((r) => points(r) > 0).sort((a, b) => points(b) - points(a)),
    ),
    notice: engine.rules.map((r) => {
      const e = r.rule.effect;
      if (e.type !== 'exclude' && e.type !== 'unclear') return undefined;
      return `{"ruleId":${JSON.stringify(r.rule.id)},"reason":${JSON.stringify(e.reason)},"reasonEn":${JSON.stringify(e.reasonEn ?? e.reason)}}`;
    }),
    field: engine.targets.map((t) =>
      t.kind === 'measure' ? engine.targetIndex.get(t.fieldKey)?.index : undefined,
    ),
    head: engine.targets.map((t) => `{"target":${JSON.stringify(t.id)}`),
  };
  parts.set(engine, p);
  return p;
}

/** Fired flags by rule index, for the call being explained (rows are built one call at a time). */
let firedScratch = new Uint8Array(256);

/** Numbers as JSON writes them, remembered: scores, points and weights repeat across rows. */
const numText = new Map<number, string>();

function num(x: number): string {
  let t = numText.get(x);
  if (t === undefined) {
    t = Number.isFinite(x) ? String(x) : 'null';
    // Bounded: rounded scores and weights are a few thousand values.
    if (numText.size >= 100_000) numText.clear();
    numText.set(x, t);
  }
  return t;
}

export function explainRows(engine: Engine, f: CallFacts, sc: CallScores): RowText[] {
  const p = partsOf(engine);
  const min = engine.scoring.minScore;
  if (firedScratch.length < engine.rules.length) firedScratch = new Uint8Array(engine.rules.length);
  const fired = firedScratch.fill(0, 0, engine.rules.length);
  for (const ri of sc.fired) fired[ri] = 1;
  const entries: (string | undefined)[] = [];
  const entry = (r: CompiledRule) => {
    let json = entries[r.index];
    if (json === undefined) {
      const evidence: { fact: string; operator: string; found: string[] }[] = [];
      evidenceOf(r.cond.explain(f), evidence);
      json = `{"id":${JSON.stringify(r.rule.id)},"name":${JSON.stringify(r.rule.name)},"effect":${JSON.stringify(effectText(r.rule.effect))},"evidence":${JSON.stringify(evidence)}}`;
      entries[r.index] = json;
    }
    return json;
  };
  const rows: RowText[] = [];
  for (const target of engine.targets) {
    const t = target.index;
    const score = sc.scores[t]!;
    if (score < min) continue;
    const mine = engine.rulesFor[t]!;
    let rules = '';
    let exclusions = '';
    let unclear = '';
    let firstExclusion: CompiledRule | undefined;
    let firstUnclear: CompiledRule | undefined;
    for (const r of mine) {
      if (!fired[r.index]) continue;
      const type = r.rule.effect.type;
      if (type === 'exclude') {
        exclusions += exclusions ? `,${p.notice[r.index]}` : p.notice[r.index];
        firstExclusion ??= r;
      } else if (type === 'unclear') {
        unclear += unclear ? `,${p.notice[r.index]}` : p.notice[r.index];
        firstUnclear ??= r;
      } else rules += rules ? `,${entry(r)}` : entry(r);
    }
    const eligibility = eligibilityNames[sc.eligibility[t]!]!;
    const terms = engine.textTerms(f, t, 5);
    const textPoints = Math.round(sc.textPoints[t]! * 10) / 10;
    let reason: string;
    let reasonEn: string;
    if (firstExclusion) {
      const e = firstExclusion.rule.effect as { reason: string; reasonEn?: string };
      reason = `Ausgeschlossen: ${e.reason}`;
      reasonEn = `Excluded: ${e.reasonEn ?? e.reason}`;
    } else {
      const de: string[] = [];
      const en: string[] = [];
      for (const r of p.positive[t]!) {
        if (de.length === 2) break;
        if (!fired[r.index]) continue;
        de.push(r.rule.name);
        en.push(r.rule.nameEn ?? r.rule.name);
      }
      // A measure with no rule of its own scores through its action field: say so.
      const fi = de.length === 0 ? p.field[t] : undefined;
      const via = fi === undefined ? undefined : p.positive[fi]!.find((r) => fired[r.index]);
      if (fi !== undefined && via) {
        const name = engine.targets[fi]!.name;
        de.push(`über das Handlungsfeld ${name} (${via.rule.name})`);
        en.push(`through the action field ${name} (${via.rule.nameEn ?? via.rule.name})`);
      }
      let termList = '';
      for (let i = 0; i < terms.length && i < 3; i++)
        termList += i === 0 ? terms[i]!.term : `, ${terms[i]!.term}`;
      if (termList) {
        de.push(`Text: ${termList}`);
        en.push(`text: ${termList}`);
      }
      reason = `${target.label}: ${de.length > 0 ? de.join('; ') : 'kein Bezug erkannt'}`;
      reasonEn = `${target.label}: ${en.length > 0 ? en.join('; ') : 'no link found'}`;
      if (firstUnclear) {
        const e = firstUnclear.rule.effect as { reason: string; reasonEn?: string };
        reason += ` (Antragsberechtigung unklar: ${e.reason})`;
        reasonEn += ` (eligibility unclear: ${e.reasonEn ?? e.reason})`;
      }
    }
    let termJson = '';
    for (const { term, weight } of terms)
      termJson += `${termJson ? ',' : ''}{"term":${JSON.stringify(term)},"weight":${num(weight)}}`;
    const explanation = `${p.head[t]},"score":${num(score)},"eligibility":"${eligibility}","reasonEn":${JSON.stringify(reasonEn)},"rules":[${rules}],"text":{"points":${num(textPoints)},"terms":[${termJson}]},"exclusions":[${exclusions}],"unclear":[${unclear}]}`;
    rows.push({ target: t, score, eligibility, reason, explanation });
  }
  return rows;
}
