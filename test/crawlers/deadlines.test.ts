import { describe, expect, it } from 'vitest';
import { annualDeadlines } from '../../crawlers/deadlines.ts';

const zone = 'Europe/Berlin';
const at = (text: string, now: string) =>
  annualDeadlines(text, { timeZone: zone, now: new Date(now) }).map((d) => d.at);

describe('annualDeadlines', () => {
  const exist =
    'Als Hochschule können Sie einen Förderantrag bis 2027 und dabei spätestens bis zum 30.09. jeden Jahres stellen. Im Jahr 2024 ist die Antragstellung bis zum 06.12.2024 möglich.';

  it('gives the next date of a yearly deadline, at the end of that day in German time', () => {
    const text = 'Anträge sind jährlich bis zum 15. März einzureichen.';
    expect(at(text, '2026-11-25T12:00:00Z')).toEqual(['2027-03-15T22:59:00.000Z']);
    expect(at(text, '2027-03-15T22:58:00Z')).toEqual(['2027-03-15T22:59:00.000Z']);
    expect(at(text, '2027-03-15T23:00:00Z')).toEqual(['2028-03-15T22:59:00.000Z']);
    const [d] = annualDeadlines(text, { timeZone: zone, now: new Date('2026-11-25T12:00:00Z') });
    expect(d).toMatchObject({ timeZone: zone, raw: 'jährlich bis zum 15. März', stage: 'single' });
  });

  it('stops at the year the same sentence names ("bis 2027"): past it the last date, closed', () => {
    expect(at(exist, '2026-11-25T12:00:00Z')).toEqual(['2027-09-30T21:59:00.000Z']);
    expect(at(exist, '2027-10-01T12:00:00Z')).toEqual(['2027-09-30T21:59:00.000Z']);
    expect(at(exist, '2025-01-10T12:00:00Z')).toEqual(['2025-09-30T21:59:00.000Z']);
  });

  it('takes only dates the words before them make a deadline', () => {
    expect(at('Die Jury tagt jährlich am 15. März.', '2026-11-25T12:00:00Z')).toEqual([]);
    expect(at('Projektbeginn ist jeweils am 1. Januar eines jeden Jahres.', '2026-11-25T12:00:00Z')).toEqual(
      [],
    );
    expect(at('Die Entscheidung fällt bis zum 30.06. jeden Jahres.', '2026-11-25T12:00:00Z')).toEqual([]);
  });
});
