import { describe, expect, it } from 'vitest';
import { SharedStrings } from '../../src/calls/shared-strings.ts';

describe('shared strings', () => {
  it('keep one entry per distinct value and hand every value back unchanged', () => {
    const shared = new SharedStrings();
    // Made at run time, as SQLite hands them out: equal values, separate strings.
    const rows = ['Horizon Europe', 'Europe/Brussels', 'Horizon Europe', 'Städtepartnerschaft'].map((s) =>
      [...s].join(''),
    );
    expect(rows.map((s) => shared.of(s))).toEqual(rows);
    expect(shared.size).toBe(3);
    expect(shared.of(null)).toBeNull();
    expect(shared.size).toBe(3);
  });

  it('start over past their limit and still return the right values', () => {
    const shared = new SharedStrings(3);
    const values = ['a', 'b', 'c', 'd', 'a', 'e'];
    expect(values.map((v) => shared.of(v))).toEqual(values);
    // a, b, c filled it; d started over; then a and e joined d.
    expect(shared.size).toBe(3);
  });
});
