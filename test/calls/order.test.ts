import { describe, expect, it } from 'vitest';
import type { CallFacts } from '../../src/calls/index-rows.ts';
import {
  type CallSort,
  firstEntries,
  keepSnapshot,
  type Order,
  snapshotOf,
  sortedEntries,
} from '../../src/calls/order.ts';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function order(sort: CallSort, n: number, seed: number): Order {
  const rand = rng(seed);
  const ids = Array.from(
    { length: n },
    (_, i) => `c-${String(Math.floor(rand() * n)).padStart(5, '0')}-${i}`,
  );
  const facts = ids.map((id) => ({ id }) as CallFacts);
  // Entries list the slots in another order than the table keeps them.
  const slots = Int32Array.from({ length: n }, (_, i) => (i * 7) % n);
  // Few distinct keys, so ties (broken by id) are common; some deadlines "none ahead" (+∞).
  const numbers = Array.from({ length: n }, () =>
    sort === 'deadline' && rand() < 0.2 ? Infinity : Math.floor(rand() * 12) / 4,
  );
  return {
    slots,
    table: { facts, ids, epoch: 0 },
    epoch: 0,
    keys: sort === 'newest' ? numbers.map((v) => `2026-01-0${Math.floor(v) + 1}`) : new Float64Array(numbers),
    relevance: null,
    statuses: null,
    sorted: null,
    sort,
    matches: null,
    at: 0,
  };
}

describe('first entries of a kept order', () => {
  it('are the head of the full sort for every sort, with ties and +∞', () => {
    for (const sort of ['relevance', 'deadline', 'newest'] as const) {
      for (let seed = 1; seed <= 20; seed++) {
        const o = order(sort, 499, seed);
        const fast = firstEntries(o, 20);
        expect(o.sorted).toBeNull(); // the top-k path, not a full sort
        expect(fast).toEqual(Array.from(sortedEntries({ ...o, sorted: null }).subarray(0, 20)));
      }
    }
  });
});

describe('relevance snapshots', () => {
  it('are found by id for 30 minutes, then no longer (later pages fall back to the keyset)', () => {
    const o = order('relevance', 10, 7);
    const now = Date.parse('2026-12-05T10:00:00Z');
    const id = keepSnapshot(o, now);
    expect(snapshotOf(id, now + 29 * 60_000)?.order).toBe(o);
    expect(snapshotOf(id, now + 30 * 60_000)).toBeUndefined();
    expect(snapshotOf('no-such-snapshot', now)).toBeUndefined();
  });

  it('have ids unique within the process', () => {
    const o = order('relevance', 3, 1);
    const ids = new Set(Array.from({ length: 50 }, () => keepSnapshot(o, 0)));
    expect(ids.size).toBe(50);
  });
});
