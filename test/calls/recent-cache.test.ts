import { describe, expect, it } from 'vitest';
import { RecentCache } from '../../src/calls/recent-cache.ts';

describe('RecentCache', () => {
  it('keeps the last values by key and overwrites the oldest', () => {
    const c = new RecentCache<number>(3);
    c.set('a', 1);
    c.set('b', 2);
    c.set('c', 3);
    expect([c.get('a'), c.get('b'), c.get('c'), c.size]).toEqual([1, 2, 3, 3]);
    c.set('d', 4);
    expect(c.get('a')).toBeUndefined();
    expect([c.get('b'), c.get('c'), c.get('d'), c.size]).toEqual([2, 3, 4, 3]);
  });

  it('replaces the value of a kept key in place, without evicting another', () => {
    const c = new RecentCache<string>(2);
    c.set('a', 'x');
    c.set('b', 'y');
    expect(c.set('a', 'z')).toBe('z');
    expect([c.get('a'), c.get('b'), c.size]).toEqual(['z', 'y', 2]);
    // The next new key still takes the oldest slot ('a', written first).
    c.set('c', 'w');
    expect([c.has('a'), c.get('b'), c.get('c')]).toEqual([false, 'y', 'w']);
  });

  it('deletes and clears', () => {
    const c = new RecentCache<number>(4);
    for (const [i, k] of ['a', 'b', 'c'].entries()) c.set(k, i);
    expect(c.delete('b')).toBe(true);
    expect(c.delete('b')).toBe(false);
    expect([c.has('b'), c.get('a'), c.get('c'), c.size]).toEqual([false, 0, 2, 2]);
    c.clear();
    expect([c.size, c.get('a')]).toEqual([0, undefined]);
    c.set('e', 5);
    expect(c.get('e')).toBe(5);
  });

  it('holds many rounds of keys, each findable while among the last `capacity`', () => {
    const c = new RecentCache<number>(5);
    for (let i = 0; i < 100; i++) {
      c.set(`k${i}`, i);
      for (let j = Math.max(0, i - 4); j <= i; j++) expect(c.get(`k${j}`)).toBe(j);
      if (i >= 5) expect(c.has(`k${i - 5}`)).toBe(false);
    }
  });

  it('rejects a capacity below one', () => {
    expect(() => new RecentCache(0)).toThrow(RangeError);
    expect(() => new RecentCache(1.5)).toThrow(RangeError);
  });
});
