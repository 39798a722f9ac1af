import { describe, expect, it } from 'vitest';
import { SeenKeys } from '../../src/api/seen-keys.ts';

describe('SeenKeys', () => {
  it('says false the first time a key comes and true after, and forgets on clear', () => {
    const seen = new SeenKeys();
    expect(seen.seen('*/api/calls?q=klima')).toBe(false);
    expect(seen.seen('*/api/calls?q=klima')).toBe(true);
    expect(seen.seen('*/api/calls?q=klima')).toBe(true);
    expect(seen.seen('*/api/calls?q=Klima')).toBe(false);
    expect(seen.seen('')).toBe(false);
    expect(seen.seen('')).toBe(true);
    seen.clear();
    expect(seen.seen('*/api/calls?q=klima')).toBe(false);
  });

  it('tells tens of thousands of new keys apart in a table of 65,536 slots', () => {
    const seen = new SeenKeys(16);
    const keys = Array.from({ length: 30_000 }, (_, i) => `*/api/calls?q=word${i}%20other${i * 7}`);
    // New keys are never taken for seen ones (a fingerprint clash is about 1 in 2^31).
    expect(keys.filter((k) => seen.seen(k))).toEqual([]);
    // Those whose slot a later key took are forgotten (and this pass writes the forgotten ones
    // again): with slots drawn at random about 18,800 of 30,000 stay; a hash that spreads keys
    // worse keeps fewer.
    const remembered = keys.filter((k) => seen.seen(k)).length;
    expect(remembered).toBeGreaterThan(17_500);
    expect(remembered).toBeLessThan(30_000);
  });

  it('forgets a key whose slot another key takes: a small table holds few keys', () => {
    const seen = new SeenKeys(2);
    const keys = Array.from({ length: 100 }, (_, i) => `k${i}`);
    for (const k of keys) seen.seen(k);
    expect(keys.filter((k) => seen.seen(k)).length).toBeLessThanOrEqual(4);
    expect(() => new SeenKeys(0)).toThrow(RangeError);
    expect(() => new SeenKeys(25)).toThrow(RangeError);
  });
});
