import { describe, expect, it } from 'vitest';
import { factsOf, fieldTexts, keywordText } from '../../src/calls/index-rows.ts';
import { SharedStrings } from '../../src/calls/shared-strings.ts';
import { tokenize } from '../../src/search/text.ts';

const row = {
  id: 'eu-ft:X',
  source: 'eu-ft',
  programme: 'Interreg Baltic Sea Region 2014-2020',
  identifier: 'X-1',
  title: 'Third call 2017',
  summary: 'S',
  description: 'D',
  keywords: '["a","b"]',
  content_hash: 'h',
  language: 'en',
  opening_date: null,
  first_seen_at: '2026-01-01T00:00:00.000Z',
};

describe('index rows', () => {
  it('scans stored keywords as the words they are, escapes included', () => {
    for (const keywords of [
      [],
      ['Städtepartnerschaft', 'climate-neutral cities', 'CERV-2026'],
      ['say "hello"', 'back\\slash', 'line\nbreak', 'tab\there'],
      ['emoji 🌍 Welt', 'Ünïcödé'],
    ]) {
      expect(tokenize(keywordText(JSON.stringify(keywords)))).toEqual(tokenize(keywords.join(' ')));
    }
  });

  it('archives by the years a title names only a call without deadlines', () => {
    const shared = new SharedStrings();
    expect(factsOf(row, [], shared).archivedAt).toBe(Date.parse('2019-01-01T00:00:00.000Z'));
    const dated = factsOf(
      row,
      [Date.parse('2027-02-01T00:00:00Z'), Date.parse('2026-02-01T00:00:00Z')],
      shared,
    );
    expect(dated.archivedAt).toBeNull();
    expect(dated.deadlines).toEqual([Date.parse('2026-02-01T00:00:00Z'), Date.parse('2027-02-01T00:00:00Z')]);
  });

  it('gives the field texts in the order of the field specs', () => {
    expect(fieldTexts(row)).toEqual([
      'Third call 2017',
      'X-1',
      'Interreg Baltic Sea Region 2014-2020',
      '["a","b"]',
      'S',
      'D',
    ]);
  });
});
