import { beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/context.ts';
import { topListChanges } from '../../src/matching/preview-positions.ts';
import { getActiveRuleSet, previewRuleSet, saveRuleSet } from '../../src/matching/service.ts';
import { useTestContext } from '../helpers/context.ts';
import { daysAhead, seedCalls } from '../helpers/seed-calls.ts';

const target = 'ostseeraum-1';
const rules = (balticPoints: number) => ({
  scoring: { textWeight: 0, minScore: 1 },
  rules: [
    {
      id: 'a',
      name: 'twinning',
      target,
      conditions: { all: [{ fact: 'title', operator: 'containsAny', value: ['twinning'] }] },
      effect: { type: 'add', points: 30 },
    },
    {
      id: 'b',
      name: 'baltic',
      target,
      conditions: { all: [{ fact: 'text', operator: 'containsAny', value: ['baltic'] }] },
      effect: { type: 'add', points: balticPoints },
    },
  ],
});

describe('top-N positions of a draft rule set', () => {
  const makeCtx = useTestContext();
  let ctx: AppContext;
  beforeAll(() => {
    ctx = makeCtx();
    saveRuleSet(ctx, { rules: rules(20), author: 'test', comment: 'base' });
    seedCalls(ctx, [
      { id: 't', title: 'Town twinning', summary: 'Citizens.', deadlines: [daysAhead(40)] },
      { id: 'b', title: 'Youth exchange', summary: 'Around the Baltic Sea.', deadlines: [daysAhead(30)] },
      { id: 'x', title: 'Soil research', summary: 'Laboratories.', deadlines: [daysAhead(30)] },
      { id: 'tb', title: 'Twinning around the Baltic', summary: 'Both.', deadlines: [daysAhead(30)] },
    ]);
  });

  it('reports nothing for the active rules themselves', () => {
    expect(topListChanges(ctx, getActiveRuleSet(ctx).rules)).toEqual([]);
  });

  it('gives titles and old → new positions, calls that leave, and nothing for untouched targets', () => {
    const changes = topListChanges(ctx, rules(60), { topN: 2 });
    expect(changes.map((c) => c.target)).toEqual([target]);
    const rows = changes[0]!.rows.map((r) => [r.title, r.before, r.after]);
    // Before: both rules (50) > twinning (30) > baltic (20). After: 90 > baltic (60); twinning leaves the top 2.
    expect(rows).toEqual([
      ['Twinning around the Baltic', 1, 1],
      ['Youth exchange', null, 2],
      ['Town twinning', 2, null],
    ]);
    // The service's own preview agrees on who enters and leaves.
    const p = previewRuleSet(ctx, rules(60), { topN: 2 }).targets.find((t) => t.target === target)!;
    expect(p.entered.map((e) => e.id)).toEqual(['import:b']);
    expect(p.left.map((e) => e.id)).toEqual(['import:t']);
  });

  it('refuses an invalid draft with the error at its path', () => {
    const bad = rules(20);
    (bad.rules[1]!.effect as { points: number }).points = 500;
    expect(() => topListChanges(ctx, bad)).toThrow(/rules\.1\.effect\.points/);
  });
});
