import { describe, expect, it } from 'vitest';
import { boundedDistance, InvertedIndex } from '../../src/search/inverted-index.ts';

const fields = [
  { boost: 3, short: true }, // title
  { boost: 1, short: false }, // description
];

/** Adds a document of whitespace-separated terms per field. */
function add(index: InvertedIndex, title: string, description = ''): number {
  index.begin();
  [title, description].forEach((text, f) => {
    const ids = Int32Array.from(text.split(' ').filter(Boolean), (t) => index.termId(t));
    index.addField(f, ids, ids.length);
  });
  return index.end();
}

const found = (index: InvertedIndex, terms: string[], scope: 'all' | 'short' = 'all') => {
  const hits = index.search(terms.map((term) => ({ term, weight: 1, scope })));
  return new Map(Array.from(hits.slots, (s, i) => [s, hits.scores[i]!]));
};

describe('inverted index', () => {
  it('ranks a title word above the same word in the description, and more occurrences higher', () => {
    const index = new InvertedIndex(fields);
    const inTitle = add(index, 'climat', 'other text');
    const inText = add(index, 'other', 'climat text');
    const twice = add(index, 'other', 'climat climat text');
    add(index, 'unrelated', 'words only');
    const scores = found(index, ['climat']);
    expect(scores.size).toBe(3);
    expect(scores.get(inTitle)!).toBeGreaterThan(scores.get(twice)!);
    expect(scores.get(twice)!).toBeGreaterThan(scores.get(inText)!);
  });

  it('searches the short scope in the short fields only', () => {
    const index = new InvertedIndex(fields);
    const title = add(index, 'twin town');
    add(index, 'other', 'twin town');
    expect([...found(index, ['twin'], 'short').keys()]).toEqual([title]);
  });

  it('forgets removed documents at once and keeps answering right across compactions and slot reuse', () => {
    const index = new InvertedIndex(fields);
    const slots = Array.from({ length: 3_000 }, (_, i) =>
      add(index, `doc${i} common`, i % 2 ? 'odd' : 'even'),
    );
    for (let i = 0; i < 2_000; i++) index.remove(slots[i]!);
    expect(index.size).toBe(1_000);
    expect(index.documentFrequency('common')).toBe(1_000);
    expect(index.documentFrequency('doc5')).toBe(0);
    expect(found(index, ['doc5']).size).toBe(0);
    // New documents take reclaimed slots; nothing of the removed ones comes back with them.
    const fresh = Array.from({ length: 1_500 }, (_, i) => add(index, `new${i}`, 'fresh'));
    expect(fresh.some((s) => s < 2_000)).toBe(true);
    expect(found(index, ['common']).size).toBe(1_000);
    expect(found(index, ['odd']).size).toBe(500);
    expect(found(index, ['fresh']).size).toBe(1_500);
    expect(found(index, ['even', 'fresh']).size).toBe(2_000);
  });

  it('completes prefixes and finds spelling neighbours among live terms only', () => {
    const index = new InvertedIndex(fields);
    add(index, 'neutral neutron network');
    const gone = add(index, 'neutrino');
    index.remove(gone);
    expect(index.withPrefix('neutr').sort()).toEqual(['neutral', 'neutron']);
    expect(index.similar('netwrk', 1).map((s) => s.term)).toEqual(['network']);
    // The removed document's word is no neighbour any more; a live one at two edits is.
    expect(index.similar('neutrino', 2).map((s) => s.term)).toEqual(['neutron']);
    expect(index.similar('neutrino', 1)).toEqual([]);
  });

  it('measures edit distance with a bound', () => {
    expect(boundedDistance('citizns', 'citizens', 2)).toBe(1);
    expect(boundedDistance('kitten', 'sitting', 3)).toBe(3);
    expect(boundedDistance('kitten', 'sitting', 2)).toBe(3);
    expect(boundedDistance('abc', 'abc', 0)).toBe(0);
  });
});
