import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseImportFile } from '../../src/calls/import-jsonl.ts';
import { compileEngine } from '../../src/matching/engine.ts';
import { explain } from '../../src/matching/explain.ts';
import { callFacts } from '../../src/matching/facts.ts';
import type { RuleSetInput } from '../../src/matching/rules-schema.ts';
import { matchRowFormat } from '../../src/matching/signature.ts';
import { fromPackage } from '../../src/paths.ts';
import { concept } from './helpers.ts';

/**
 * Stored match rows are only rewritten when a call's signature changes, and the signature
 * includes `matchRowFormat`. So a change to what `explain` writes must come with a new format
 * version, or stored rows keep the old wording forever. Register the output of each version
 * here (the hash printed by a failing run) when you bump it.
 */
const outputs: Record<number, string> = {
  2: '45d8175983314e77',
};

// A fixed rule set (not the default one, whose edits are versioned by their own hashes) with
// each effect kind, so every part of an explanation is produced.
const rules: RuleSetInput = {
  vocabulary: { ostseeraum: { de: ['Ostsee', 'Hafen'], en: ['Baltic Sea', 'port'] } },
  rules: [
    {
      id: 'baltic',
      name: 'Ostseeraum',
      nameEn: 'Baltic Sea Region',
      target: ['ostseeraum', 'ostseeraum-1'],
      conditions: { any: [{ fact: 'text', operator: 'containsAny', value: ['Baltic Sea', 'Ostsee*'] }] },
      effect: { type: 'add', points: 40 },
    },
    {
      id: 'twinning',
      name: 'Städtepartnerschaft',
      nameEn: 'Town twinning',
      target: 'staedtepartnerschaften',
      conditions: {
        any: [{ fact: 'text', operator: 'containsAny', value: ['twinning', 'Städtepartnerschaft*'] }],
      },
      effect: { type: 'add', points: 50 },
    },
    {
      id: 'companies-only',
      name: 'Nur Unternehmen',
      target: 'all',
      conditions: { all: [{ fact: 'applicantTypes', operator: 'in', value: ['sme', 'company'] }] },
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
      conditions: { not: { fact: 'applicantTypes', operator: 'in', value: ['municipality'] } },
      effect: { type: 'unclear', reason: 'Antragsberechtigte prüfen', reasonEn: 'Check who may apply' },
    },
  ],
};

describe('the stored explanation format', () => {
  it('is registered under the current format version', () => {
    const engine = compileEngine(rules, concept);
    const calls = parseImportFile(readFileSync(fromPackage('eval', 'dev', 'calls.jsonl'), 'utf8')).calls;
    const now = new Date('2025-03-01T00:00:00Z');
    const hash = createHash('sha256');
    for (const { call } of calls.slice(0, 40)) {
      const f = callFacts(call, engine.city, { now });
      const sc = engine.score(f);
      for (const t of engine.targets) {
        if (sc.scores[t.index]! >= engine.scoring.minScore)
          hash.update(JSON.stringify(explain(engine, f, sc, t.index)));
      }
    }
    const actual = hash.digest('hex').slice(0, 16);
    expect(
      outputs[matchRowFormat],
      `explanations changed: bump matchRowFormat and register ${actual} under it`,
    ).toBe(actual);
  });
});
