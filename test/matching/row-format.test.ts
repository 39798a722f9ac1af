import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseImportFile } from '../../src/calls/import-jsonl.ts';
import { compileEngine } from '../../src/matching/engine.ts';
import { callFacts } from '../../src/matching/facts.ts';
import { reasonRows } from '../../src/matching/reason-rows.ts';
import type { RuleSetInput } from '../../src/matching/rules-schema.ts';
import { matchRowFormat } from '../../src/matching/signature.ts';
import { fromPackage } from '../../src/paths.ts';
import { concept, sampleRules } from './helpers.ts';

/**
 * Stored match rows are only rewritten when a call's signature changes, and the signature
 * includes `matchRowFormat`. So a change to what a row stores (score, eligibility, the reason
 * lines) must come with a new format version, or stored rows keep the old wording forever.
 * Up to 4 the hash covered the full explanation, which rows stored until then. Register the output of each version
 * here (the hash printed by a failing run) when you bump it. (Editing this test's rules or calls
 * changes the hash too: then re-register it under the same version.)
 */
const outputs: Record<number, string> = {
  2: '2260f4a9344b01b5',
  3: '92c8481abcf050f0',
  4: 'f99b7f234e8e8ea2',
  5: '3d339477129854d2',
};

// A fixed rule set (not the default one, whose edits are versioned by their own hashes) with
// each effect kind, so every kind of reason line is produced.
const rules: RuleSetInput = {
  ...sampleRules,
  rules: [
    ...sampleRules.rules,
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
  ],
};

describe('the stored match row format', () => {
  it('is registered under the current format version', () => {
    const engine = compileEngine(rules, concept);
    const calls = parseImportFile(readFileSync(fromPackage('eval', 'dev', 'calls.jsonl'), 'utf8')).calls;
    const now = new Date('2025-03-01T00:00:00Z');
    const hash = createHash('sha256');
    for (const { call } of calls.slice(0, 40)) {
      const f = callFacts(call, engine.city, { now });
      for (const row of reasonRows(engine, f, engine.score(f))) hash.update(JSON.stringify(row));
    }
    const actual = hash.digest('hex').slice(0, 16);
    expect(
      outputs[matchRowFormat],
      `stored rows changed: bump matchRowFormat and register ${actual} under it`,
    ).toBe(actual);
  });
});
