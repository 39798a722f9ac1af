import fc from 'fast-check';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { globMatcher, WildIndex } from '../../src/matching/operators.ts';
import { analyze, fold, tokenize } from '../../src/matching/text.ts';
import { stems } from '../../src/matching/vocab.ts';
import { holds } from './helpers.ts';

describe('text normalisation', () => {
  it('folds case, accents, umlauts and ß', () => {
    expect(fold('Straße Köln Élysée ÆRØ')).toBe('strasse koln elysee aero');
    expect(tokenize('Städte-Partnerschaft, 2030!')).toEqual(['stadte', 'partnerschaft', '2030']);
  });

  it('stems German and English words to shared keys', () => {
    expect(stems('stadtepartnerschaften')).toContain(stems('stadtepartnerschaft')[0]);
    expect(stems('municipalities')).toEqual(expect.arrayContaining([stems('municipality').at(-1)]));
  });
});

describe('term operators', () => {
  it('containsAny matches German inflections, umlauts and ß', () => {
    expect(
      holds(
        { fact: 'text', operator: 'containsAny', value: ['Städtepartnerschaft'] },
        'Förderung für Städtepartnerschaften',
      ),
    ).toBe(true);
    expect(
      holds({ fact: 'text', operator: 'containsAny', value: ['Kommune'] }, 'Antragsberechtigt sind Kommunen'),
    ).toBe(true);
    expect(holds({ fact: 'text', operator: 'containsAny', value: ['Straße'] }, 'an der Strasse')).toBe(true);
    expect(
      holds({ fact: 'text', operator: 'containsAny', value: ['Zusammenführung'] }, 'ZUSAMMENFUHRUNG'),
    ).toBe(true);
    expect(
      holds({ fact: 'text', operator: 'containsAny', value: ['Kommune'] }, 'Unternehmen und Vereine'),
    ).toBe(false);
  });

  it('containsAny matches English inflections', () => {
    expect(
      holds({ fact: 'text', operator: 'containsAny', value: ['municipality'] }, 'Open to municipalities'),
    ).toBe(true);
    expect(holds({ fact: 'text', operator: 'containsAny', value: ['network'] }, 'Networking of cities')).toBe(
      true,
    );
    expect(
      holds({ fact: 'text', operator: 'containsAny', value: ['twinning'] }, 'a tender for consultants'),
    ).toBe(false);
  });

  it('containsAny with min needs that many distinct terms', () => {
    const leaf = {
      fact: 'text',
      operator: 'containsAny' as const,
      value: ['youth', 'culture', 'sport'],
      min: 2,
    };
    expect(holds(leaf, 'youth and culture')).toBe(true);
    expect(holds(leaf, 'youth only')).toBe(false);
  });

  it('containsAll needs every term', () => {
    const leaf = { fact: 'text', operator: 'containsAll' as const, value: ['China', 'Hochschule'] };
    expect(holds(leaf, 'Kooperation chinesischer und deutscher Hochschulen in China')).toBe(true);
    expect(holds(leaf, 'Kooperation mit China')).toBe(false);
  });

  it('phrase needs the words in order and adjacent', () => {
    const leaf = { fact: 'text', operator: 'phrase' as const, value: ['town twinning'] };
    expect(holds(leaf, 'Support for Town-Twinning events')).toBe(true);
    expect(holds(leaf, 'twinning of the town')).toBe(false);
  });

  it('near finds terms within a distance', () => {
    const leaf = {
      fact: 'text',
      operator: 'near' as const,
      value: { a: ['Partnerschaft'], b: ['Tansania'], within: 4 },
    };
    expect(holds(leaf, 'Eine Partnerschaft mit Kommunen in Tansania')).toBe(true);
    expect(
      holds(leaf, 'Partnerschaft. Lorem ipsum dolor sit amet consectetur adipiscing elit, Tansania'),
    ).toBe(false);
  });

  it('wildcards match inside German compounds', () => {
    const leaf = { fact: 'text', operator: 'containsAny' as const, value: ['*partnerschaft*'] };
    expect(holds(leaf, 'Städtepartnerschaftsvereine sind willkommen')).toBe(true);
    expect(holds(leaf, 'Partner gesucht')).toBe(false);
  });

  it('term operators only look at the named text fact', () => {
    const leaf = { fact: 'applicants', operator: 'containsAny' as const, value: ['SME'] };
    expect(holds(leaf, 'SMEs benefit', { applicantsText: 'Municipalities' })).toBe(false);
    expect(holds(leaf, 'anything', { applicantsText: 'SMEs only' })).toBe(true);
  });
});

describe('value operators', () => {
  it('in matches any element of a list fact, case-insensitively', () => {
    expect(
      holds({ fact: 'applicantTypes', operator: 'in', value: ['Municipality'] }, '', {
        applicantTypes: ['ngo', 'municipality'],
      }),
    ).toBe(true);
    expect(
      holds({ fact: 'applicantTypes', operator: 'in', value: ['sme'] }, '', {
        applicantTypes: ['municipality'],
      }),
    ).toBe(false);
  });

  it('in compares with city facts from the concept', () => {
    const leaf = { fact: 'countries', operator: 'in' as const, value: { fact: 'city.partnerCountries' } };
    expect(holds(leaf, '', { countries: ['TZ'] })).toBe(true);
    expect(holds(leaf, '', { countries: ['BR'] })).toBe(false);
  });

  it('city names from the concept work as terms', () => {
    const leaf = { fact: 'text', operator: 'containsAny' as const, value: { fact: 'city.partnerCities' } };
    expect(holds(leaf, 'Exchange with San Francisco')).toBe(true);
    expect(holds(leaf, 'Exchange with San Diego')).toBe(false);
  });

  it('equals needs a single equal value', () => {
    expect(holds({ fact: 'source', operator: 'equals', value: 'skew' }, '', { source: 'skew' })).toBe(true);
    expect(holds({ fact: 'source', operator: 'equals', value: 'skew' }, '', { source: 'eu-ft' })).toBe(false);
  });

  it('numeric comparisons, false when the fact is missing', () => {
    expect(holds({ fact: 'fundingRate', operator: 'gte', value: 0.8 }, '', { fundingRate: 0.9 })).toBe(true);
    expect(holds({ fact: 'fundingRate', operator: 'gt', value: 0.9 }, '', { fundingRate: 0.9 })).toBe(false);
    expect(holds({ fact: 'fundingRate', operator: 'lt', value: 0.5 }, '', { fundingRate: undefined })).toBe(
      false,
    );
    expect(
      holds({ fact: 'budget', operator: 'lte', value: 1000 }, '', {
        budget: { currency: 'EUR', total: 1000 },
      }),
    ).toBe(true);
  });

  it('globMatch matches identifiers by glob, case-insensitively', () => {
    const leaf = { fact: 'identifier', operator: 'globMatch' as const, value: ['CERV-*-CITIZENS-TOWN-TT'] };
    expect(holds(leaf, '', { identifier: 'cerv-2026-citizens-town-tt' })).toBe(true);
    expect(holds(leaf, '', { identifier: 'CERV-2026-CITIZENS-TOWN-NT' })).toBe(false);
  });
});

describe('word globs', () => {
  it('the fast matcher agrees with picomatch on star patterns', () => {
    // Tokens are never empty.
    const word = fc.stringMatching(/^[ab]{1,6}$/);
    const pattern = fc.stringMatching(/^[ab*]{1,5}$/);
    fc.assert(
      fc.property(pattern, word, (p, w) => {
        const reference = picomatch(p, { nobrace: true, noextglob: true, nonegate: true, dot: true });
        return globMatcher(p)(w) === reference(w);
      }),
      { numRuns: 500 },
    );
    expect(globMatcher('*partner*verein*')('stadtepartnerschaftsverein')).toBe(true);
    expect(globMatcher('ab*ab')('aba')).toBe(false);
  });
});

describe('wildcard cache shared between rule set versions', () => {
  const doc = () => analyze('Städtepartnerschaften und Partnerstädte im Ostseeraum fördern');
  const results = (index: WildIndex, terms: string[]) => {
    const d = doc();
    return terms.map((t) => index.has(d, index.intern(t).id));
  };
  const terms = ['*partner*', 'ostsee*', '*stadt*', 'kiel', 'fisch*'];

  it('a new index with the same patterns answers like a fresh one', () => {
    const first = new WildIndex();
    expect(results(first, terms)).toEqual([true, true, true, false, false]);
    // Same patterns: reuses the first index's token cache.
    const second = new WildIndex();
    expect(results(second, terms)).toEqual([true, true, true, false, false]);
  });

  it('a new index with other patterns (other ids) does not reuse stale answers', () => {
    const first = new WildIndex();
    results(first, ['*partner*', 'ostsee*']);
    // Different order of patterns: ids differ, so the cache of the first must not be used.
    const other = new WildIndex();
    expect(results(other, ['ostsee*', 'fisch*', '*partner*'])).toEqual([true, false, true]);
    const again = new WildIndex();
    expect(results(again, ['*partner*', 'ostsee*'])).toEqual([true, true]);
  });
});
