import { describe, expect, it } from 'vitest';
import { queryCalls } from '../../src/calls/query.ts';
import { callSearchIndex } from '../../src/calls/search-index.ts';
import { upsertCall } from '../../src/calls/store.ts';
import { sampleCall } from '../helpers/calls.ts';
import { useTestContext } from '../helpers/context.ts';

const call = (i: number, round: number) =>
  sampleCall({
    id: `eu-ft:S-${String(i).padStart(2, '0')}`,
    sourceId: `S-${i}`,
    identifier: `S-${i}`,
    // Relevance falls with i (fewer mentions), so the order is fixed and every page differs.
    title: `Call ${i} ${'partnership '.repeat(1 + Math.floor((40 - i) / 4))}`,
    summary: 'Support for municipalities.',
    description: `Revision ${round}.`,
    keywords: [],
  });

describe('relevance snapshots when index slots are reused', () => {
  const makeCtx = useTestContext();

  it('never names other calls on a later page after the slots were given to other calls', () => {
    const ctx = makeCtx();
    const n = 40;
    for (let i = 0; i < n; i++) upsertCall(ctx.dbh.db, call(i, 0));
    const first = queryCalls(ctx, { q: 'partnership', limit: 10 });
    const firstIds = first.items.map((i) => i.call.id);
    expect(first.next).not.toBeNull();

    // Every change kills a call's slot. 25 rounds of all calls leave 1,000 dead slots; the next
    // change (S-01) makes it 1,001, which compacts the index: dead slots are reused, lowest first.
    // So S-01 takes slot 0 (S-00's), and S-02…S-21 take slots 1–20: the slots of this query's
    // later pages now hold other calls than when its first page was served.
    const epoch = callSearchIndex(ctx).slots.epoch;
    const change = (ids: number[], round: number) => {
      ctx.dbh.sqlite.transaction(() => {
        for (const i of ids) upsertCall(ctx.dbh.db, call(i, round));
      })();
      callSearchIndex(ctx);
    };
    const all = Array.from({ length: n }, (_, i) => i);
    for (let round = 1; round <= 25; round++) change(all, round);
    change([1], 26);
    change(
      all.filter((i) => i >= 2 && i <= 21),
      27,
    );
    expect(callSearchIndex(ctx).slots.epoch).toBeGreaterThan(epoch);

    const seen = [...firstIds];
    let cursor = first.next;
    while (cursor) {
      const page = queryCalls(ctx, { q: 'partnership', limit: 10, cursor });
      seen.push(...page.items.map((i) => i.call.id));
      cursor = page.next;
    }
    // Every call once: none repeated from the first page, none skipped.
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(Array.from({ length: n }, (_, i) => `eu-ft:S-${String(i).padStart(2, '0')}`));
  });
});
