import { describe, expect, it } from 'vitest';
import {
  findAnnualDates,
  findDates,
  formatInZone,
  parseDate,
  type RejectedDate,
} from '../../crawlers/dates.ts';
import { zonedTimeToUtc } from '../../crawlers/text.ts';

const BERLIN = { timeZone: 'Europe/Berlin' };
const CPH = { timeZone: 'Europe/Copenhagen' };

// Formats as the Interreg and SKEW pages publish them (dates from the fact sheets in
// test/fixtures/interreg and test/fixtures/skew).
const table: Array<[text: string, zone: typeof BERLIN, at: string, hasTime: boolean]> = [
  // Interreg Deutschland-Danmark, German and Danish pages (PKP deadlines, regular call)
  ['1. April 2025', BERLIN, '2025-04-01T21:59:00.000Z', false],
  ['1. april 2025', CPH, '2025-04-01T21:59:00.000Z', false],
  ['9. september 2025 kl. 23.59', CPH, '2025-09-09T21:59:00.000Z', true],
  ['Dienstag, 09.09.2025, 23:59 Uhr', BERLIN, '2025-09-09T21:59:00.000Z', true],
  ['11. November 2024, 23:59 Uhr', BERLIN, '2024-11-11T22:59:00.000Z', true],
  ['11.11.2024', BERLIN, '2024-11-11T22:59:00.000Z', false],
  // Interreg Baltic Sea Region (English, "CET" used all year for local time)
  ['5 June 2025, 23:59 CET', BERLIN, '2025-06-05T21:59:00.000Z', true],
  ['20 November 2025, 16:00 CET', BERLIN, '2025-11-20T15:00:00.000Z', true],
  ['8th October 2025', BERLIN, '2025-10-08T21:59:00.000Z', false],
  ['2025-10-08', BERLIN, '2025-10-08T21:59:00.000Z', false],
  // South Baltic, North Sea, URBACT (English forms)
  ['November 12, 2025', BERLIN, '2025-11-12T22:59:00.000Z', false],
  ['30 June 2023', BERLIN, '2023-06-30T21:59:00.000Z', false],
  ['31 March 2023 at 15:00 CET', BERLIN, '2023-03-31T13:00:00.000Z', true],
  ['5th November 2024', BERLIN, '2024-11-05T22:59:00.000Z', false],
  ['5 June 2025 at 4 pm', BERLIN, '2025-06-05T14:00:00.000Z', true],
  // SKEW (German)
  ['15. Oktober 2025', BERLIN, '2025-10-15T21:59:00.000Z', false],
  ['15.10.2024', BERLIN, '2024-10-15T21:59:00.000Z', false],
  ['15. Oktober 2025, 12:00 Uhr', BERLIN, '2025-10-15T10:00:00.000Z', true],
  ['15. Okt. 2025 um 12 Uhr', BERLIN, '2025-10-15T10:00:00.000Z', true],
  ['31. Juli 2023', BERLIN, '2023-07-31T21:59:00.000Z', false],
  ['30.09.2023', BERLIN, '2023-09-30T21:59:00.000Z', false],
  ['6. März 2023', BERLIN, '2023-03-06T22:59:00.000Z', false],
  ['6. Maerz 2023', BERLIN, '2023-03-06T22:59:00.000Z', false],
  ['7. Mai 2023', BERLIN, '2023-05-07T21:59:00.000Z', false],
  ['15. November 2023', BERLIN, '2023-11-15T22:59:00.000Z', false],
  ['31.03.2025', BERLIN, '2025-03-31T21:59:00.000Z', false],
  // ISO with offset or Z is an instant already
  ['2025-11-20T16:00:00+01:00', BERLIN, '2025-11-20T15:00:00.000Z', true],
  ['2025-06-05T21:59:00Z', BERLIN, '2025-06-05T21:59:00.000Z', true],
  ['2025-06-05 12:00 UTC', BERLIN, '2025-06-05T12:00:00.000Z', true],
  ['2025-04-01T23:59', CPH, '2025-04-01T21:59:00.000Z', true],
];

describe('parseDate', () => {
  it.each(table)('%s (%o) → %s', (text, zone, at, hasTime) => {
    const parsed = parseDate(text, zone);
    expect(parsed?.at).toBe(at);
    expect(parsed?.hasTime).toBe(hasTime);
  });

  it('starts the day for opening dates', () => {
    expect(parseDate('19.09.2024', { ...BERLIN, defaultTime: 'start-of-day' })?.at).toBe(
      '2024-09-18T22:00:00.000Z',
    );
    expect(parseDate('17 January 2024', { ...BERLIN, defaultTime: 'start-of-day' })?.at).toBe(
      '2024-01-16T23:00:00.000Z',
    );
  });

  it('follows summer time from the zone rules, not a fixed offset', () => {
    // Clocks change on 30 March 2025 and 26 October 2025 in Berlin and Copenhagen.
    expect(parseDate('29.03.2025 12:00', BERLIN)?.at).toBe('2025-03-29T11:00:00.000Z');
    expect(parseDate('31.03.2025 12:00', BERLIN)?.at).toBe('2025-03-31T10:00:00.000Z');
    expect(parseDate('25. oktober 2025 kl. 12.00', CPH)?.at).toBe('2025-10-25T10:00:00.000Z');
    expect(parseDate('27. oktober 2025 kl. 12.00', CPH)?.at).toBe('2025-10-27T11:00:00.000Z');
    expect(
      zonedTimeToUtc({ year: 2025, month: 3, day: 30, hour: 12, minute: 0 }, 'Europe/Berlin').toISOString(),
    ).toBe('2025-03-30T10:00:00.000Z');
    expect(
      zonedTimeToUtc({ year: 2025, month: 7, day: 1, hour: 12, minute: 0 }, 'Europe/Brussels').toISOString(),
    ).toBe('2025-07-01T10:00:00.000Z');
  });

  it('keeps the raw text and the calendar day', () => {
    const parsed = parseDate('Antragsfrist: 15. Oktober 2025, 12:00 Uhr.', BERLIN);
    expect(parsed).toMatchObject({
      date: '2025-10-15',
      raw: '15. Oktober 2025, 12:00 Uhr',
      timeZone: 'Europe/Berlin',
    });
  });

  it('finds nothing in text without a valid date', () => {
    expect(parseDate('Die Frist ist abgelaufen.', BERLIN)).toBeUndefined();
    expect(parseDate('31.02.2025', BERLIN)).toBeUndefined();
    expect(parseDate('Version 1.2.3', BERLIN)).toBeUndefined();
    expect(parseDate('Juni 2025', BERLIN)).toBeUndefined();
  });
});

describe('findDates', () => {
  it('finds both ends of a range and does not read the second day as a time', () => {
    const dates = findDates('Laufzeit 17.09.2025 - 12.11.2025', BERLIN);
    expect(dates.map((d) => d.date)).toEqual(['2025-09-17', '2025-11-12']);
    expect(dates.every((d) => !d.hasTime)).toBe(true);
  });

  it('finds dates in a sentence in order', () => {
    const text =
      'Projektskizzen bis zum 31. Juli 2023, Anträge bis zum 30.09.2023; Projektbeginn frühestens 1. Januar 2025.';
    expect(findDates(text, BERLIN).map((d) => d.date)).toEqual(['2023-07-31', '2023-09-30', '2025-01-01']);
  });

  it('does not take a bare number after a date as a time', () => {
    const [d] = findDates('am 15. Oktober 2025 3 Projekte bewilligt', BERLIN);
    expect(d?.hasTime).toBe(false);
    expect(d?.raw).toBe('15. Oktober 2025');
  });
});

describe('formatInZone', () => {
  it('shows an instant in local time', () => {
    expect(formatInZone('2025-04-01T21:59:00.000Z', 'Europe/Copenhagen')).toBe('2025-04-01 23:59');
    expect(formatInZone('2024-11-11T22:59:00.000Z', 'Europe/Berlin')).toBe('2024-11-11 23:59');
  });
});

describe('findAnnualDates', () => {
  const found = (text: string) => findAnnualDates(text).map(({ day, month, raw }) => ({ day, month, raw }));

  it('finds a day and month the words make yearly, in German and English', () => {
    expect(found('spätestens bis zum 30.09. jeden Jahres stellen')).toEqual([
      { day: 30, month: 9, raw: '30.09. jeden Jahres' },
    ]);
    expect(found('Anträge sind jährlich bis zum 15. März einzureichen.')).toEqual([
      { day: 15, month: 3, raw: 'jährlich bis zum 15. März' },
    ]);
    expect(found('Stichtag ist jeweils der 1.4. und der 1.10.')).toEqual([]);
    expect(found('Einreichung jeweils zum 1.4.')).toEqual([{ day: 1, month: 4, raw: 'jeweils zum 1.4.' }]);
    expect(found('Proposals are due by 30 September each year.')).toEqual([
      { day: 30, month: 9, raw: '30 September each year' },
    ]);
  });

  it('leaves out dated days, days without a yearly word and days that do not come back every year', () => {
    expect(found('bis zum 30.09.2025 jeden Jahres')).toEqual([]);
    expect(found('bis zum 30. September 2025')).toEqual([]);
    expect(found('Anträge bis zum 30.09. stellen')).toEqual([]);
    expect(found('bis zum 29.02. jeden Jahres')).toEqual([]);
    expect(found('bis zum 31.04. jeden Jahres')).toEqual([]);
  });
});

describe('impossible dates (issue 12)', () => {
  it('are never returned as rolled-over instants, and are reported as rejected', () => {
    for (const text of [
      'Deadline: 2027-13-45',
      'Deadline: 2027-02-30',
      'Deadline: 2027-05-01T25:99',
      'Deadline: 2027-05-01T23:60',
      'Frist: 30.02.2027',
      'Frist: 31. April 2027',
    ]) {
      const rejected: RejectedDate[] = [];
      expect(findDates(text, { ...BERLIN, rejected }), text).toEqual([]);
      expect(
        rejected.map((r) => r.raw),
        text,
      ).toEqual([text.split(': ')[1]]);
    }
    // The round trip keeps real days: a leap day and the last second of a day.
    expect(findDates('2028-02-29T23:59:59Z', BERLIN).map((d) => d.at)).toEqual(['2028-02-29T23:59:59.000Z']);
  });

  it('zonedTimeToUtc refuses a time that does not exist instead of rolling it over', () => {
    expect(() =>
      zonedTimeToUtc({ year: 2027, month: 2, day: 30, hour: 12, minute: 0 }, 'Europe/Berlin'),
    ).toThrow(RangeError);
    expect(() =>
      zonedTimeToUtc({ year: 2027, month: 5, day: 1, hour: 25, minute: 99 }, 'Europe/Berlin'),
    ).toThrow(RangeError);
  });
});
