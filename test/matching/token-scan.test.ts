import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, fold, tokenize } from '../../src/matching/text.ts';
import { stems, stemVocab } from '../../src/matching/vocab.ts';

/** What a doc must hold, built the plain way: fold the whole text, split, stem each word. */
function reference(text: string) {
  const words = tokenize(text);
  const positions = new Map<number, number[]>();
  words.forEach((w, i) => {
    for (const st of stems(w)) {
      const id = stemVocab.find(st);
      positions.set(id, [...(positions.get(id) ?? []), i]);
    }
  });
  const ids = [...positions.keys()].sort((a, b) => a - b);
  return { words, distinct: [...new Set(words)], stems: ids.map((id) => [id, positions.get(id)!]) };
}

function actual(text: string) {
  const doc = analyze(text);
  const words = Array.from(doc.tokens, (_, i) => doc.token(i));
  return {
    words,
    distinct: Array.from(doc.distinct, (id) => words[doc.tokens.indexOf(id)]!),
    stems: Array.from(doc.stems, (id) => [id, Array.from(doc.positions(id)!)]),
  };
}

const samples = [
  'Städtepartnerschaft – Klima-Anpassung in Kommunen (CERV-2026-CITIZENS-TOWN-TT)',
  'Bürgerbeteiligung, Demokratie & «Zivilgesellschaft»; ½ ² 3rd ℌ ﬁnance Ⅻ',
  'x𝐀y 𝐚𝐛c 日本語テキスト ÆØÅ łódź ı a\u0301b a\u0483b 😀 end İstanbul ΣΑΣ',
  'lone surrogates a\ud800 \udc00b \ud800',
  'STRASSE Straße straße SMEs NGOs a a a b a',
  // Words longer than the scanner's first buffer, grown while folding and after.
  `${'ß'.repeat(300)}abc ${'a'.repeat(300)}${'ß'.repeat(200)}x`,
  '',
  '   ',
];

describe('analyze (one pass over the raw text)', () => {
  it('gives the tokens, distinct words, stems and positions of fold + split + stem', () => {
    for (const s of samples) expect(actual(s)).toEqual(reference(s));
  });

  it('agrees with the plain way on random text of mixed scripts, marks and compatibility forms', () => {
    const pieces = [
      ...'aZ09 -.,;\n\tßÄäÖöÜüéÉçñøæœłđıİΣσςﬁ½²ℌⅫ①ｶＡａ\u0301\u0308\u0483\u00a0\u2009日本',
      '𝐀',
      '𝐚',
      '😀',
      '\ud800',
      '\udc00',
      'Kommune',
      'municipalities',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        expect(actual(text)).toEqual(reference(text));
      }),
      { numRuns: 500 },
    );
  });

  it('shows each word as a text wrote it, lower-cased, whose fold is its token', () => {
    const doc = analyze('Förderung der Städtepartnerschaften in Schleswig-Holstein: Café ½');
    expect(Array.from(doc.tokens, (_, i) => doc.word(i))).toEqual([
      'förderung',
      'der',
      'städtepartnerschaften',
      'in',
      'schleswig',
      'holstein',
      'café',
      '1',
      '2',
    ]);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...'aZß ÄöÜé-ℌ½ﬁ İı'), { maxLength: 30 }), (parts) => {
        const d = analyze(parts.join(''));
        for (let i = 0; i < d.tokens.length; i++) expect(fold(d.word(i))).toBe(d.token(i));
      }),
      { numRuns: 300 },
    );
  });
});
