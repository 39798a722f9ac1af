import fc from 'fast-check';
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
    // A second compaction while reclaimed slots are still free: every slot is handed out once.
    for (const slot of fresh.slice(0, 1_200)) index.remove(slot);
    const again = Array.from({ length: 3_000 }, (_, i) => add(index, `again${i}`));
    const live = [...slots.slice(2_000), ...fresh.slice(1_200), ...again];
    expect(new Set(live).size).toBe(live.length);
    expect(index.size).toBe(live.length);
    expect(found(index, ['fresh']).size).toBe(300);
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

describe('inverted index against a plain model', () => {
  it('finds exactly the live documents containing a term, with the right counts, after any adds and removes', () => {
    const vocabulary = ['a', 'b', 'c', 'd', 'e', 'f'];
    const doc = fc.record({
      title: fc.array(fc.constantFrom(...vocabulary), { maxLength: 4 }),
      text: fc.array(fc.constantFrom(...vocabulary), { maxLength: 8 }),
    });
    const step = fc.oneof(
      doc.map((d) => ({ add: d })),
      fc.nat(400).map((n) => ({ remove: n })),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 400 }), (steps) => {
        // Compacts after a few removals, so that slots are reclaimed and reused within a run.
        const index = new InvertedIndex(fields, 4);
        const model = new Map<number, { title: string[]; text: string[] }>();
        const order: number[] = [];
        for (const s of steps) {
          if ('add' in s) {
            const slot = add(index, s.add.title.join(' '), s.add.text.join(' '));
            expect(model.has(slot)).toBe(false);
            model.set(slot, s.add);
            order.push(slot);
          } else if (order.length > 0) {
            const slot = order.splice(s.remove % order.length, 1)[0]!;
            index.remove(slot);
            model.delete(slot);
          }
        }
        expect(index.size).toBe(model.size);
        for (const t of vocabulary) {
          const all = [...model].filter(([, d]) => d.title.includes(t) || d.text.includes(t)).map(([s]) => s);
          const short = [...model].filter(([, d]) => d.title.includes(t)).map(([s]) => s);
          expect(index.documentFrequency(t)).toBe(all.length);
          expect([...found(index, [t]).keys()].sort((x, y) => x - y)).toEqual(all.sort((x, y) => x - y));
          expect([...found(index, [t], 'short').keys()].sort((x, y) => x - y)).toEqual(
            short.sort((x, y) => x - y),
          );
        }
      }),
      { numRuns: 60 },
    );
  });
});
