import { type CallScores, type CompiledRule, type Engine, eligibilityNames } from './engine.ts';
import type { CallFacts } from './facts.ts';

/**
 * The stored match rows of one call: for every target scoring at least `minScore`, its score,
 * eligibility and the reason line in German and English, exactly as `explain` words them
 * (test/matching/reason-rows.test.ts compares both on every dev call). The full explanation
 * (fired rules with their evidence, text words, exclusions) is not stored: `explain` makes it
 * when someone opens a call, so a first match writes ~350 bytes a row instead of ~950.
 *
 * Built for writing many rows: the rules' order by points is made once per engine instead of a
 * sort per row.
 */

export interface ReasonRow {
  target: number;
  score: number;
  eligibility: string;
  reason: string;
  reasonEn: string;
}

interface EngineParts {
  /** Per target: its fired-able add rules with points > 0, most points first (stable, as `explain`). */
  positive: CompiledRule[][];
  /** Per target: its action field (for measures). */
  field: (number | undefined)[];
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
    field: engine.targets.map((t) =>
      t.kind === 'measure' ? engine.targetIndex.get(t.fieldKey)?.index : undefined,
    ),
  };
  parts.set(engine, p);
  return p;
}

/** Fired flags by rule index, for the call at hand (rows are built one call at a time). */
let firedScratch = new Uint8Array(256);

export function reasonRows(engine: Engine, f: CallFacts, sc: CallScores): ReasonRow[] {
  const p = partsOf(engine);
  const min = engine.scoring.minScore;
  if (firedScratch.length < engine.rules.length) firedScratch = new Uint8Array(engine.rules.length);
  const fired = firedScratch.fill(0, 0, engine.rules.length);
  for (const ri of sc.fired) fired[ri] = 1;
  const rows: ReasonRow[] = [];
  for (const target of engine.targets) {
    const t = target.index;
    const score = sc.scores[t]!;
    if (score < min) continue;
    let firstExclusion: CompiledRule | undefined;
    let firstUnclear: CompiledRule | undefined;
    for (const r of engine.rulesFor[t]!) {
      if (!fired[r.index]) continue;
      const type = r.rule.effect.type;
      if (type === 'exclude') firstExclusion ??= r;
      else if (type === 'unclear') firstUnclear ??= r;
    }
    const eligibility = eligibilityNames[sc.eligibility[t]!]!;
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
      const terms = engine.textTerms(f, t, 3);
      let termList = '';
      for (let i = 0; i < terms.length; i++) termList += i === 0 ? terms[i]!.term : `, ${terms[i]!.term}`;
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
    rows.push({ target: t, score, eligibility, reason, reasonEn });
  }
  return rows;
}
