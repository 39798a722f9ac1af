import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseImportFile } from '../../src/calls/import-jsonl.ts';
import { compareRanked, compileEngine, eligibilityNames } from '../../src/matching/engine.ts';
import { explain } from '../../src/matching/explain.ts';
import { analyzeCall, type CallMemo, callFacts } from '../../src/matching/facts.ts';
import type { RuleSetInput } from '../../src/matching/rules-schema.ts';
import { fromPackage } from '../../src/paths.ts';
import { sampleCall } from '../helpers/calls.ts';
import { concept, sampleRules } from './helpers.ts';

const base = sampleRules;

const engine = compileEngine(base, concept);
const baltic = sampleCall({
  id: 'eu-ft:BALTIC',
  title: 'Baltic Sea cooperation',
  summary: 'Projects around the Baltic Sea for cities and regions.',
  applicantTypes: ['municipality'],
});
const idx = (t: string) => engine.targetIndex.get(t)!.index;

describe('scoring and explanations', () => {
  it('explains fired rules with the terms that made them fire and the text part', () => {
    const f = callFacts(baltic, engine.city);
    const s = engine.score(f);
    const ex = explain(engine, f, s, idx('ostseeraum'));
    expect(ex.eligibility).toBe('eligible');
    expect(ex.rules).toEqual([
      {
        id: 'baltic',
        name: 'Ostseeraum',
        effect: '+50 points',
        evidence: [{ fact: 'text', operator: 'containsAny', found: ['Baltic Sea'] }],
      },
    ]);
    expect(ex.text.points).toBeGreaterThan(0);
    expect(ex.text.terms.map((t) => t.term)).toContain('baltic');
    expect(ex.reason).toContain('Ostseeraum');
    expect(ex.reasonEn).toContain('Baltic Sea Region');
    expect(ex.score).toBeGreaterThan(s.scores[idx('chinastrategie')]!);
  });

  it('excludes with a visible German and English reason', () => {
    const f = callFacts({ ...baltic, applicantTypes: ['sme'] }, engine.city);
    const s = engine.score(f);
    const ex = explain(engine, f, s, idx('ostseeraum'));
    expect(ex.eligibility).toBe('excluded');
    expect(ex.exclusions).toEqual([
      {
        ruleId: 'companies-only',
        reason: 'Nur Unternehmen antragsberechtigt',
        reasonEn: 'Only companies may apply',
      },
    ]);
    expect(ex.reason).toBe('Ausgeschlossen: Nur Unternehmen antragsberechtigt');
    expect(ex.reasonEn).toBe('Excluded: Only companies may apply');
  });

  it('marks unclear eligibility and says why not for rules that did not fire', () => {
    const f = callFacts(
      { ...baltic, summary: 'Nothing about the sea.', title: 'Other', applicantTypes: [] },
      engine.city,
    );
    const ex = explain(engine, f, engine.score(f), idx('ostseeraum'), { whyNot: true });
    expect(ex.eligibility).toBe('unclear');
    expect(ex.unclear[0]!.reason).toBe('Antragsberechtigte nicht angegeben');
    const why = ex.whyNot!.find((w) => w.id === 'baltic')!;
    expect(why.failed).toMatchObject({
      kind: 'any',
      ok: false,
      children: [{ kind: 'leaf', fact: 'text', ok: false }],
    });
  });

  it('measures inherit part of their field and get their own rules', () => {
    const f = callFacts(baltic, engine.city);
    const s = engine.score(f);
    expect(s.scores[idx('ostseeraum-1')]!).toBeGreaterThan(s.scores[idx('ostseeraum-2')]!);
  });
});

const wordPool = [
  'Baltic',
  'Sea',
  'Ostsee',
  'twinning',
  'China',
  'Kommunen',
  'climate',
  'youth',
  'SDG',
  'network',
  'tender',
];
const callArb = fc.record({
  words: fc.array(fc.constantFrom(...wordPool), { maxLength: 12 }),
  applicantTypes: fc.subarray(['municipality', 'sme', 'company', 'ngo'] as const),
});
const toCall = (
  c: { words: string[]; applicantTypes: ('municipality' | 'sme' | 'company' | 'ngo')[] },
  i: number,
) =>
  sampleCall({
    id: `eu-ft:P${i}`,
    title: 'Call',
    summary: c.words.join(' '),
    description: '',
    keywords: [],
    applicantTypes: [...c.applicantTypes],
  });

describe('scorer properties', () => {
  it('adding a satisfied "add" rule never lowers a score', () => {
    fc.assert(
      fc.property(
        callArb,
        fc.integer({ min: 0, max: 100 }),
        fc.constantFrom(...engine.targets.map((t) => t.id)),
        (c, points, target) => {
          const more = compileEngine(
            {
              ...base,
              rules: [
                ...base.rules,
                {
                  id: 'always',
                  name: 'Immer',
                  target,
                  conditions: { all: [] },
                  effect: { type: 'add', points },
                },
              ],
            },
            concept,
          );
          const call = toCall(c, 0);
          const a = engine.score(callFacts(call, engine.city));
          const b = more.score(callFacts(call, more.city));
          return engine.targets.every((t) => b.scores[t.index]! >= a.scores[t.index]!);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('an excluded call never ranks above an eligible one', () => {
    fc.assert(
      fc.property(fc.array(callArb, { minLength: 2, maxLength: 12 }), (cs) => {
        const t = idx('ostseeraum');
        const ranked = cs
          .map((c, i) => {
            const s = engine.score(callFacts(toCall(c, i), engine.city));
            return { id: String(i), score: s.scores[t]!, eligibility: eligibilityNames[s.eligibility[t]!]! };
          })
          .sort(compareRanked());
        const firstExcluded = ranked.findIndex((r) => r.eligibility === 'excluded');
        return firstExcluded === -1 || ranked.slice(firstExcluded).every((r) => r.eligibility === 'excluded');
      }),
      { numRuns: 100 },
    );
  });
});

describe('results kept with a call between rule set versions', () => {
  const rules = JSON.parse(readFileSync(fromPackage('rules', 'default-rules.json'), 'utf8')) as RuleSetInput;
  const dev = parseImportFile(readFileSync(fromPackage('eval', 'dev', 'calls.jsonl'), 'utf8')).calls.map(
    (c) => c.call,
  );
  const now = new Date('2025-03-01T00:00:00Z');
  // A second version: one rule re-targeted with new terms (one a new wildcard and a phrase),
  // one date-dependent rule, and new vocabulary (so the text profiles change too).
  const edited = structuredClone(rules);
  edited.rules[0] = {
    ...edited.rules[0]!,
    conditions: {
      any: [{ fact: 'text', operator: 'containsAny', value: ['hafen*', 'port authority', 'twinning'] }],
    },
  };
  edited.rules.push({
    id: 'closing-soon',
    name: 'Frist in 60 Tagen',
    target: 'all',
    conditions: { all: [{ fact: 'daysToDeadline', operator: 'lte', value: 60 }] },
    effect: { type: 'add', points: 5 },
  });
  edited.vocabulary = { ...edited.vocabulary, ostseeraum: { de: ['Hafenstadt'], en: ['port city'] } };

  it('scores exactly like scoring afresh (condition memo, text memo, term memo)', () => {
    const a = compileEngine(rules, concept);
    const b = compileEngine(edited, concept);
    let fired = 0;
    for (const call of dev) {
      const docs = analyzeCall(call);
      const memo: CallMemo = {};
      a.score(callFacts(call, a.city, { now }, docs, memo));
      const kept = b.score(callFacts(call, b.city, { now }, docs, memo));
      // Again with everything kept, then with nothing kept (fresh tokens, no memo).
      const again = b.score(callFacts(call, b.city, { now: new Date('2025-06-01T00:00:00Z') }, docs, memo));
      const fresh = b.score(callFacts(call, b.city, { now }));
      const later = b.score(callFacts(call, b.city, { now: new Date('2025-06-01T00:00:00Z') }));
      expect(kept).toEqual(fresh);
      expect(again).toEqual(later);
      fired += kept.fired.length;
    }
    expect(fired).toBeGreaterThan(dev.length);
  });
});
