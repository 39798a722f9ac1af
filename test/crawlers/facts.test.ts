import { describe, expect, it } from 'vitest';
import { classifyDates } from '../../crawlers/deadlines.ts';
import {
  applicantTypesFromText,
  findAmounts,
  findBudget,
  findFundingRate,
  parseNumber,
  stageFromLabel,
} from '../../crawlers/facts.ts';

describe('amounts', () => {
  it.each([
    ['200.000', 200_000],
    ['200,000', 200_000],
    ['6,88', 6.88],
    ['171.1', 171.1],
    ['1.234.567', 1_234_567],
    ['1.234,50', 1234.5],
    ['1 000', 1000],
  ])('parseNumber(%s) = %d', (text, value) => {
    expect(parseNumber(text)).toBe(value);
  });

  it('finds euro amounts in German and English with multipliers and ranges', () => {
    const found = findAmounts(
      'Pool mit 6,88 Mio. Euro; max. 200.000 Euro pro Projekt; EUR 5 million; 4,2 Millionen Euro; 1.000 bis 20.000 Euro; EUR 5,000–25,000; € 500,000',
    );
    expect(found.map((a) => [a.min, a.value])).toEqual([
      [undefined, 6_880_000],
      [undefined, 200_000],
      [undefined, 5_000_000],
      [undefined, 4_200_000],
      [1000, 20_000],
      [5000, 25_000],
      [undefined, 500_000],
    ]);
  });

  it('tells the call total from the per-project band, and ignores the programme budget', () => {
    expect(
      findBudget('The call budget is EUR 5 million.\nEach platform can receive up to EUR 1 million.'),
    ).toMatchObject({
      total: 5_000_000,
      perProjectMax: 1_000_000,
    });
    expect(findBudget('The programme has a total programme budget of EUR 171.1 million.')).toBeUndefined();
    expect(findBudget('Antragshöhe: ab 50.000 Euro')).toMatchObject({ perProjectMin: 50_000 });
    expect(findBudget('Keine Angaben zur Förderhöhe.')).toBeUndefined();
  });
});

describe('funding rate', () => {
  it.each([
    ['Die Förderquote beträgt 65 % der förderfähigen Kosten.', 0.65],
    ['The programme co-finances up to 60% of eligible costs.', 0.6],
    ['Gefördert werden bis zu 90 Prozent; der Eigenanteil beträgt mindestens 10 Prozent.', 0.9],
    ['Förderung bis zu 75 Prozent, in Ausnahmefällen 90 Prozent', 0.75],
    ['Verwaltungskosten können pauschal mit bis zu 7 Prozent angesetzt werden.', undefined],
    ['Erstantrag bis zu 10.000 Euro; in der Regel 25 Prozent Eigenanteil', undefined],
    ['25 applications were submitted, 40% more than in 2024.', undefined],
  ])('%s → %s', (text, rate) => {
    expect(findFundingRate(text)?.rate).toBe(rate);
  });
});

describe('deadline stages and date kinds', () => {
  it('names stages in German, English and Danish', () => {
    expect(stageFromLabel('Deadline for the Project Idea Form')?.stage).toBe('sketch');
    expect(stageFromLabel('Projektskizze')?.stage).toBe('sketch');
    expect(stageFromLabel('Interessenbekundung')?.stage).toBe('interest');
    expect(stageFromLabel('full application')?.stage).toBe('full-application');
    expect(stageFromLabel('Antrag')?.stage).toBe('full-application');
    expect(stageFromLabel('ansøgning')?.stage).toBe('full-application');
    expect(stageFromLabel('Antragsfrist')).toBeUndefined();
  });

  it('tells opening, deadline and other dates apart by the words before them', () => {
    const kinds = classifyDates(
      'The calls open on 17 September 2025 and close on 12 November 2025. The Monitoring Committee is expected to decide on 26 March 2026.',
      { timeZone: 'Europe/Berlin' },
    ).map((c) => [c.date.date, c.kind]);
    expect(kinds).toEqual([
      ['2025-09-17', 'opening'],
      ['2025-11-12', 'deadline'],
      ['2026-03-26', 'other'],
    ]);
    const danish = classifyDates('Ansøgningsfrist: 1. april 2025 kl. 23.59', {
      timeZone: 'Europe/Copenhagen',
    });
    expect(danish.map((c) => [c.kind, c.date.at])).toEqual([['deadline', '2025-04-01T21:59:00.000Z']]);
  });
});

describe('applicant types', () => {
  it('maps eligibility texts and leaves out what is excluded', () => {
    expect(applicantTypesFromText('Kommunalverwaltungen sowie die Bezirke in Berlin und Hamburg')).toEqual([
      'municipality',
    ]);
    expect(applicantTypesFromText('zivilgesellschaftliche Gruppen und Vereine (keine Kommunen)')).toEqual([
      'ngo',
    ]);
    expect(applicantTypesFromText('private Einrichtungen und Unternehmen (nicht als Lead Partner)')).toEqual([
      'company',
    ]);
  });
});
