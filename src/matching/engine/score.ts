/** The hot path: scoring one call for every target with a compiled engine's state. */
import type { CallFacts } from '../facts.ts';
import type { Scoring } from '../rules-schema.ts';
import { type CompiledCondition, conditionIds } from './conditions.ts';

/** Per call: score, eligibility and the rules that fired, for every target (by target index). */
export interface CallScores {
  callId: string;
  scores: Float64Array;
  /** 0 eligible, 1 unclear, 2 excluded. */
  eligibility: Uint8Array;
  /** Text relevance points per target (before saturation). */
  textPoints: Float64Array;
  fired: number[];
}

/** Everything `scoreCall` needs of a compiled engine (one plain object: one shape for the JIT). */
export interface ScoreState {
  conds: CompiledCondition[];
  condOf: Int32Array;
  globalCond: Int32Array;
  volatile: Uint8Array;
  effects: { kind: number; value: number; targets: Int32Array }[];
  mulOf: [number, number][][];
  isMeasure: Uint8Array;
  fieldOf: Int32Array;
  scoring: Scoring;
  n: number;
  profileKey: number;
  bm25All: (f: CallFacts, sums?: Float64Array) => Float64Array;
  /** Scratch buffers, reused across calls (scoring is synchronous); results are fresh arrays. */
  held: Uint8Array;
  fired: Uint8Array;
  raw: Float64Array;
  sums: Float64Array;
}

/**
 * Scores one call for every target. A module-level function rather than a closure per engine,
 * so the optimised code survives rule changes (a new engine would start it cold).
 */
export function scoreCall(st: ScoreState, f: CallFacts): CallScores {
  const { conds, held, fired, raw, n, scoring } = st;
  const memo = f.memo;
  if (memo) {
    let known = memo.conditions;
    if (!known && !memo.text) {
      // A call scored for the first time: its kept results in one buffer (the text sums, then
      // the condition results), one allocation instead of two for each of a cold match's calls.
      const buf = new ArrayBuffer(8 * n + conditionIds.size);
      memo.text = { key: Number.NaN, sums: new Float64Array(buf, 0, n) };
      memo.conditions = known = new Int8Array(buf, 8 * n, conditionIds.size);
    } else if (!known || known.length < conditionIds.size) {
      const grown = new Int8Array(conditionIds.size);
      if (known) grown.set(known);
      memo.conditions = known = grown;
    }
    for (let ci = 0; ci < conds.length; ci++) {
      if (st.volatile[ci]) {
        held[ci] = conds[ci]!.test(f) ? 1 : 0;
        continue;
      }
      const g = st.globalCond[ci]!;
      let v = known[g]!;
      if (v === 0) known[g] = v = conds[ci]!.test(f) ? 1 : 2;
      held[ci] = v === 1 ? 1 : 0;
    }
  } else for (let ci = 0; ci < conds.length; ci++) held[ci] = conds[ci]!.test(f) ? 1 : 0;
  const firedList: number[] = [];
  const condOf = st.condOf;
  for (let ri = 0; ri < condOf.length; ri++) {
    fired[ri] = held[condOf[ri]!]!;
    if (fired[ri]) firedList.push(ri);
  }
  let sums: Float64Array;
  if (memo?.text?.key === st.profileKey) sums = memo.text.sums;
  else {
    sums = st.bm25All(f, st.sums);
    if (memo) {
      // Kept in place when the kept array has this length (the first scoring's buffer).
      if (memo.text && memo.text.sums.length === n) {
        memo.text.sums.set(sums);
        memo.text.key = st.profileKey;
      } else memo.text = { key: st.profileKey, sums: sums.slice() };
    }
  }
  // The three result arrays share one buffer (one allocation per call instead of three).
  const buf = new ArrayBuffer(17 * n);
  const textPoints = new Float64Array(buf, 0, n);
  const scores = new Float64Array(buf, 8 * n, n);
  const eligibility = new Uint8Array(buf, 16 * n, n);
  for (let t = 0; t < n; t++) {
    const s = sums[t]!;
    textPoints[t] = (scoring.textWeight * s) / (s + scoring.textHalf);
    raw[t] = textPoints[t]!;
  }
  // Effects of the fired rules, in rule order (so sums are added in the same order always).
  for (let i = 0; i < firedList.length; i++) {
    const { kind, value, targets: ts } = st.effects[firedList[i]!]!;
    if (kind === 0) for (let k = 0; k < ts.length; k++) raw[ts[k]!]! += value;
    else if (kind === 2) for (let k = 0; k < ts.length; k++) eligibility[ts[k]!] = 2;
    else if (kind === 3)
      for (let k = 0; k < ts.length; k++) if (eligibility[ts[k]!] === 0) eligibility[ts[k]!] = 1;
  }
  // Fields first: measures inherit a share of their field's raw points; factors come last.
  for (let t = 0; t < n; t++) {
    if (st.isMeasure[t]) raw[t]! += scoring.measureInherit * raw[st.fieldOf[t]!]!;
    const muls = st.mulOf[t]!;
    for (let k = 0; k < muls.length; k++) if (fired[muls[k]![0]]) raw[t]! *= muls[k]![1];
  }
  for (let t = 0; t < n; t++) scores[t] = saturate(raw[t]!, scoring.scale);
  return { callId: f.callId, scores, eligibility, textPoints, fired: firedList };
}

const saturate = (raw: number, scale: number) =>
  Math.round(1000 * (1 - Math.exp(-Math.max(0, raw) / scale))) / 10;
