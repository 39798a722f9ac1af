import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseImportFile } from '../../src/calls/import-jsonl.ts';
import { compileEngine, type Engine } from '../../src/matching/engine.ts';
import { explain } from '../../src/matching/explain.ts';
import { callFacts } from '../../src/matching/facts.ts';
import { reasonRows } from '../../src/matching/reason-rows.ts';
import { fromPackage } from '../../src/paths.ts';
import { concept, sampleRules } from './helpers.ts';

const calls = parseImportFile(readFileSync(fromPackage('eval', 'dev', 'calls.jsonl'), 'utf8')).calls.map(
  (c) => c.call,
);
const defaultRules = JSON.parse(readFileSync(fromPackage('rules', 'default-rules.json'), 'utf8'));

/** Every stored row the plain way: `explain` per target, its score, eligibility and reason lines. */
function plainRows(engine: Engine, now: Date) {
  return calls.map((call) => {
    const f = callFacts(call, engine.city, { now });
    const sc = engine.score(f);
    return engine.targets.flatMap((t) => {
      const score = sc.scores[t.index]!;
      if (score < engine.scoring.minScore) return [];
      const { eligibility, reason, reasonEn } = explain(engine, f, sc, t.index);
      return [{ target: t.index, score, eligibility, reason, reasonEn }];
    });
  });
}

describe('reasonRows (the rows a re-match writes)', () => {
  for (const [name, rules] of [
    ['default rules', defaultRules],
    ['sample rules', sampleRules],
  ] as const) {
    it(`words every dev call and target as explain does (${name})`, () => {
      const engine = compileEngine(rules, concept);
      // A date with open and closed calls, so deadline-based rules fire both ways.
      const now = new Date('2025-03-01T00:00:00Z');
      const expected = plainRows(engine, now);
      const actual = calls.map((call) => {
        const f = callFacts(call, engine.city, { now });
        return reasonRows(engine, f, engine.score(f));
      });
      expect(actual.flat().length).toBeGreaterThan(100);
      expect(actual).toEqual(expected);
    });
  }
});
