import { describe, expect, it } from 'vitest';
import { periodOf } from '../../src/digest/period.ts';
import { calendarDaysUntil, isoWeek, localDateTime, zonedToInstant } from '../../src/domain/zoned-time.ts';

describe('digest periods on the Europe/Berlin calendar', () => {
  it('uses ISO weeks, including the week-year boundary', () => {
    expect(isoWeek(2026, 11, 23)).toEqual({ year: 2026, week: 48 });
    expect(isoWeek(2026, 12, 31)).toEqual({ year: 2026, week: 53 });
    expect(isoWeek(2027, 1, 3)).toEqual({ year: 2026, week: 53 });
    expect(isoWeek(2027, 1, 4)).toEqual({ year: 2027, week: 1 });
    expect(isoWeek(2024, 12, 30)).toEqual({ year: 2025, week: 1 });
  });

  it('starts a week on Monday 00:00 Berlin time, whatever the UTC date', () => {
    // Sunday 23:30 UTC is already Monday 00:30 in Berlin: the new week.
    const p = periodOf('weekly', new Date('2026-11-29T23:30:00Z'));
    expect(p.key).toBe('2026-W49');
    expect(p.start.toISOString()).toBe('2026-11-29T23:00:00.000Z');
    expect(p.end.toISOString()).toBe('2026-12-06T23:00:00.000Z');
    expect(periodOf('weekly', new Date('2026-11-29T22:30:00Z')).key).toBe('2026-W48');
  });

  it('handles the week of the switch to summer time (167 hours)', () => {
    const p = periodOf('weekly', new Date('2027-03-25T12:00:00Z'));
    expect(p.key).toBe('2027-W12');
    expect(p.start.toISOString()).toBe('2027-03-21T23:00:00.000Z');
    expect(p.end.toISOString()).toBe('2027-03-28T22:00:00.000Z');
  });

  it('gives daily periods by Berlin date', () => {
    const p = periodOf('daily', new Date('2026-11-25T23:30:00Z'));
    expect(p.key).toBe('2026-11-26');
    expect(p.start.toISOString()).toBe('2026-11-25T23:00:00.000Z');
    expect(p.end.toISOString()).toBe('2026-11-26T23:00:00.000Z');
  });

  it('converts wall time to instants and counts calendar days in Berlin', () => {
    expect(zonedToInstant({ year: 2027, month: 6, day: 10, hour: 17 }, 'Europe/Brussels').toISOString()).toBe(
      '2027-06-10T15:00:00.000Z',
    );
    expect(zonedToInstant({ year: 2027, month: 1, day: 14, hour: 17 }, 'Europe/Brussels').toISOString()).toBe(
      '2027-01-14T16:00:00.000Z',
    );
    expect(localDateTime(new Date('2027-03-31T21:59:00Z'), 'Europe/Berlin')).toBe('2027-03-31T23:59:00');
    // 23:59 tonight is "today"; 00:30 Berlin on the next day is "tomorrow", though under an hour away.
    const now = new Date('2026-11-25T22:00:00Z'); // 23:00 Berlin
    expect(calendarDaysUntil(new Date('2026-11-25T22:59:00Z'), now)).toBe(0);
    expect(calendarDaysUntil(new Date('2026-11-25T23:30:00Z'), now)).toBe(1);
    expect(calendarDaysUntil(new Date('2026-11-20T10:00:00Z'), now)).toBe(-5);
  });
});
