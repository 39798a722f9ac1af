import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.ts';
import { compileEngine } from '../../src/matching/engine.ts';
import { fromPackage } from '../../src/paths.ts';
import { concept } from './helpers.ts';

const rule = (over: Record<string, unknown> = {}) => ({
  id: 'r1',
  name: 'Regel',
  target: 'ostseeraum',
  conditions: { all: [{ fact: 'text', operator: 'containsAny', value: ['Ostsee'] }] },
  effect: { type: 'add', points: 10 },
  ...over,
});

function rejection(rules: unknown): AppError {
  try {
    compileEngine(rules, concept);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('RULES_INVALID');
    return err as AppError;
  }
  throw new Error('expected the rule set to be rejected');
}

describe('rule set validation', () => {
  it('accepts the default rule set', () => {
    const data = JSON.parse(readFileSync(fromPackage('rules', 'default-rules.json'), 'utf8'));
    expect(compileEngine(data, concept).rules.length).toBeGreaterThan(20);
  });

  it('rejects a bad effect with its path', () => {
    const err = rejection({ rules: [rule(), rule({ id: 'r2', effect: { type: 'add', points: 'viel' } })] });
    expect(err.details.map((d) => d.path)).toContain('rules.1.effect.points');
  });

  it('rejects unknown targets and vocabulary keys with their paths', () => {
    const err = rejection({ vocabulary: { mars: { de: ['x'] } }, rules: [rule({ target: 'mondbasis' })] });
    expect(err.details.map((d) => d.path).sort()).toEqual(['rules.0.target', 'vocabulary.mars']);
  });

  it('rejects unknown facts and operator/value mismatches with the condition path', () => {
    const unknownFact = rejection({
      rules: [
        rule({ conditions: { any: [{ not: { fact: 'weather', operator: 'equals', value: 'sunny' } }] } }),
      ],
    });
    expect(unknownFact.details[0]!.path).toBe('rules.0.conditions.any.0.not.fact');
    const wrongValue = rejection({
      rules: [rule({ conditions: { all: [{ fact: 'fundingRate', operator: 'gte', value: 'hoch' }] } })],
    });
    expect(wrongValue.details[0]!.path).toBe('rules.0.conditions.all.0.value');
    const textOnNumber = rejection({
      rules: [rule({ conditions: { all: [{ fact: 'budget', operator: 'containsAny', value: ['x'] }] } })],
    });
    expect(textOnNumber.details[0]!.path).toBe('rules.0.conditions.all.0.operator');
  });

  it('rejects duplicate ids, unknown operators and extra keys', () => {
    expect(rejection({ rules: [rule(), rule()] }).details[0]!.path).toBe('rules.1.id');
    const op = rejection({
      rules: [rule({ conditions: { all: [{ fact: 'text', operator: 'regex', value: ['.*'] }] } })],
    });
    expect(op.details[0]!.path).toMatch(/^rules\.0\.conditions/);
    expect(rejection({ rules: [rule({ code: 'process.exit()' })] }).details[0]!.path).toBe('rules.0');
  });
});
