import { describe, expect, it } from 'vitest';
import { background, importCall, positions, verdict } from './real-rules.ts';

/**
 * Failure class "core programme calls not recognised": a programme launch or "Start der
 * Antragstellung" notice of a programme whose area contains Kiel ranks high in its fields,
 * even when short and news-like, and even when it names the regional partner office.
 */
describe('launch notices of programmes whose area contains Kiel', () => {
  const notice = importCall({
    id: 'dk-de-start',
    source: 'interreg',
    programme: 'Interreg Deutschland-Danmark',
    title: 'Start der Antragstellung für das neue Programm',
    summary:
      'Ab dem 15. Januar können Projektanträge eingereicht werden. Beratung bieten das Sekretariat in ' +
      'Kruså und die Region Sønderjylland-Schleswig.',
    applicants: 'Partner aus dem Programmgebiet',
    deadlines: [],
  });
  const news = importCall({
    id: 'bsr-news',
    source: 'interreg',
    programme: null,
    title: 'Interreg Baltic Sea Region: call opens for small projects',
    summary: 'The programme opens its next call on 3 February. Seed money is available for new partnerships.',
    applicants: null,
    deadlines: [],
    language: 'en',
  });

  it('is not excluded by the regional office it names', () => {
    expect(verdict(notice, 'ostseeraum').eligibility).toBe('eligible');
    expect(verdict(news, 'ostseeraum').eligibility).toBe('eligible');
  });

  it('ranks in the top 5 of Ostseeraum among 130 real calls', () => {
    const pos = positions([...background, notice, news], 'ostseeraum');
    expect(pos.get(notice.id)).toBeLessThanOrEqual(5);
    expect(pos.get(news.id)).toBeLessThanOrEqual(5);
  });
});
