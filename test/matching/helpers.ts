import { loadConceptFile } from '../../src/concept/load.ts';
import type { Call } from '../../src/domain/call.ts';
import { compileEngine } from '../../src/matching/engine.ts';
import { callFacts } from '../../src/matching/facts.ts';
import type { Leaf, RuleSetInput } from '../../src/matching/rules-schema.ts';
import { fromPackage } from '../../src/paths.ts';
import { sampleCall } from '../helpers/calls.ts';

export const concept = loadConceptFile(fromPackage('rules', 'concept.json')).concept;

/** A small rule set with an add, an exclude and an unclear rule. */
export const sampleRules: RuleSetInput = {
  vocabulary: { ostseeraum: { de: ['Ostsee'], en: ['Baltic Sea'] } },
  rules: [
    {
      id: 'baltic',
      name: 'Ostseeraum',
      nameEn: 'Baltic Sea Region',
      target: ['ostseeraum', 'ostseeraum-1'],
      conditions: { any: [{ fact: 'text', operator: 'containsAny', value: ['Baltic Sea', 'Ostsee'] }] },
      effect: { type: 'add', points: 50 },
    },
    {
      id: 'companies-only',
      name: 'Nur Unternehmen',
      target: 'all',
      conditions: {
        all: [
          { fact: 'applicantTypes', operator: 'in', value: ['sme', 'company'] },
          { not: { fact: 'applicantTypes', operator: 'in', value: ['municipality'] } },
        ],
      },
      effect: {
        type: 'exclude',
        reason: 'Nur Unternehmen antragsberechtigt',
        reasonEn: 'Only companies may apply',
      },
    },
    {
      id: 'no-applicants',
      name: 'Antragsberechtigte unbekannt',
      target: 'all',
      conditions: {
        all: [
          {
            not: { fact: 'applicantTypes', operator: 'in', value: ['municipality', 'sme', 'company', 'ngo'] },
          },
        ],
      },
      effect: { type: 'unclear', reason: 'Antragsberechtigte nicht angegeben' },
    },
  ],
};

/** An engine with one rule "probe" (+10 on staedtepartnerschaften) whose condition is the leaf. */
export function probe(leaf: Leaf) {
  return compileEngine(
    {
      rules: [
        {
          id: 'probe',
          name: 'Probe',
          target: 'staedtepartnerschaften',
          conditions: { all: [leaf] },
          effect: { type: 'add', points: 10 },
        },
      ],
    } satisfies RuleSetInput,
    concept,
  );
}

/** Does the leaf hold for a call with this text (title + summary) and these overrides? */
export function holds(leaf: Leaf, text: string, overrides: Partial<Call> = {}): boolean {
  const engine = probe(leaf);
  const call = sampleCall({
    title: 'Call',
    summary: text,
    description: '',
    keywords: [],
    programme: '',
    ...overrides,
  });
  return engine.score(callFacts(call, engine.city)).fired.length === 1;
}
