import { describe, expect, it } from 'vitest';
import { daysLeft, formatInZone, startOfDay } from '../../src/domain/time.ts';

describe('time zones', () => {
  it('formats instants in the publishing zone and in Berlin, across clock changes', () => {
    expect(formatInZone('2026-09-17T15:00:00.000Z', 'Europe/Brussels')).toBe('2026-09-17T17:00:00+02:00');
    expect(formatInZone('2026-01-17T15:00:00.000Z', 'Europe/Berlin')).toBe('2026-01-17T16:00:00+01:00');
    expect(formatInZone('2026-03-29T00:59:59.000Z', 'Europe/Berlin')).toBe('2026-03-29T01:59:59+01:00');
    expect(formatInZone('2026-03-29T01:00:00.000Z', 'Europe/Berlin')).toBe('2026-03-29T03:00:00+02:00');
    expect(formatInZone('2026-01-17T15:00:00.000Z', 'America/New_York')).toBe('2026-01-17T10:00:00-05:00');
    expect(formatInZone('2026-01-17T15:00:00.000Z', 'Asia/Kolkata')).toBe('2026-01-17T20:30:00+05:30');
  });

  it('finds the start of a Berlin day and counts calendar days left', () => {
    expect(new Date(startOfDay('2026-03-29', 'Europe/Berlin')).toISOString()).toBe(
      '2026-03-28T23:00:00.000Z',
    );
    expect(new Date(startOfDay('2026-10-26', 'Europe/Berlin')).toISOString()).toBe(
      '2026-10-25T23:00:00.000Z',
    );
    expect(new Date(startOfDay('2026-07-01', 'Europe/Berlin')).toISOString()).toBe(
      '2026-06-30T22:00:00.000Z',
    );
    // 22:30 UTC on the 17th is already the 18th in Berlin.
    expect(daysLeft(Date.parse('2026-09-17T22:30:00Z'), Date.parse('2026-09-16T10:00:00Z'))).toBe(2);
    expect(daysLeft(Date.parse('2026-09-16T21:00:00Z'), Date.parse('2026-09-16T10:00:00Z'))).toBe(0);
    expect(daysLeft(Date.parse('2026-09-10T10:00:00Z'), Date.parse('2026-09-16T10:00:00Z'))).toBe(-6);
  });
});
