import { describe, expect, it } from 'vitest';
import { indexTermOf, tokenize } from '../../src/search/text.ts';
import { TokenIds } from '../../src/search/token-ids.ts';

/** The splitting rule the scanner implements: everything that is not a letter or digit separates. */
const reference = (text: string) => text.split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0);

const samples = [
  'Städtepartnerschaft – Klima-Anpassung in Kommunen (CERV-2026-CITIZENS-TOWN-TT)',
  'Bürgerbeteiligung, Demokratie & «Zivilgesellschaft»; ½ ² 3rd',
  'x𝐀y 日本語テキスト ÆØÅ łódź ı a\u0301b 😀 end',
  'lone surrogates a\ud800 \udc00b',
  '',
  '   ',
  '"quoted\\nwords" [json, "list"]',
];

describe('search tokenizer', () => {
  it('splits exactly like the Unicode letter/digit rule', () => {
    for (const s of samples) expect(tokenize(s)).toEqual(reference(s));
  });

  it('maps the words of a text to the same term ids as tokenize + indexTermOf', () => {
    const terms: string[] = [];
    const idOf = new Map<string, number>();
    const ids = new TokenIds((token) => {
      const term = indexTermOf(token, 'de');
      if (!term) return -1;
      if (!idOf.has(term)) {
        idOf.set(term, terms.length);
        terms.push(term);
      }
      return idOf.get(term)!;
    }, 8);
    // A small limit makes the table clear itself between the texts; answers stay the same.
    for (const s of [...samples, ...samples]) {
      const n = ids.scan(s);
      const expected = tokenize(s)
        .map((t) => indexTermOf(t, 'de'))
        .filter(Boolean);
      expect(Array.from(ids.ids.subarray(0, n), (id) => terms[id])).toEqual(expected);
    }
  });
});
