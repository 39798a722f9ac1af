import { describe, expect, it } from 'vitest';
import {
  eligibilityViolations,
  type Label,
  mustSeeRecallAt,
  ndcgAt,
  precisionAt,
} from '../../src/eval/metrics.ts';

const label = (
  id: string,
  grade: number,
  eligible: Label['kiel_eligible'] = 'yes',
  mustSee = false,
): Label => ({
  id,
  kiel_eligible: eligible,
  grades: { f: grade },
  measures: [],
  must_see: mustSee,
});
const labels = new Map(
  [
    label('a', 3, 'yes', true),
    label('b', 2),
    label('c', 0),
    label('d', 3, 'no'),
    label('e', 1, 'unclear'),
  ].map((l) => [l.id, l]),
);

describe('evaluation metrics', () => {
  it('nDCG@10 is 1 for the ideal order and uses gain 2^grade − 1 with ineligible calls at 0', () => {
    expect(ndcgAt(['a', 'b', 'e', 'c', 'd'], labels, 'f')).toBeCloseTo(1, 10);
    // Swap a and b: DCG = 3/1 + 7/log2(3); ideal = 7/1 + 3/log2(3) + 1/2.
    const dcg = 3 + 7 / Math.log2(3) + 1 / 2;
    const ideal = 7 + 3 / Math.log2(3) + 1 / 2;
    expect(ndcgAt(['b', 'a', 'e', 'c', 'd'], labels, 'f')).toBeCloseTo(dcg / ideal, 10);
    // The ineligible grade-3 call earns nothing at rank 1.
    expect(ndcgAt(['d', 'a', 'b', 'e'], labels, 'f')).toBeLessThan(ndcgAt(['a', 'b', 'e', 'd'], labels, 'f'));
  });

  it('P@10 counts gain ≥ 2 over ten places', () => {
    expect(precisionAt(['a', 'b', 'd', 'e'], labels, 'f')).toBeCloseTo(0.2, 10);
  });

  it('must-see recall@k counts eligible grade-3 must-see calls', () => {
    expect(mustSeeRecallAt(['b', 'a'], labels, 'f', 2)).toBe(1);
    expect(mustSeeRecallAt(['b', 'c', 'a'], labels, 'f', 2)).toBe(0);
    expect(mustSeeRecallAt(['a'], labels, 'other')).toBeUndefined();
  });

  it('finds ineligible calls ranked above eligible calls with a higher grade', () => {
    expect(eligibilityViolations(['d', 'a', 'b'], labels, 'f')).toEqual([]);
    const l2 = new Map(labels);
    l2.set('d', label('d', 1, 'no'));
    expect(eligibilityViolations(['d', 'a', 'c'], l2, 'f')).toEqual([{ above: 'd', below: 'a' }]);
  });
});
