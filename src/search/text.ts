import snowball from 'snowball-stemmers';
import { fold as foldText } from '../matching/text.ts';

// The same Snowball stemmers and folding as the matcher, so search and matching agree on words.
const german = snowball.newStemmer('german');
const english = snowball.newStemmer('english');
const stemDe = (t: string) => german.stem(t);
const stemEn = (t: string) => english.stem(t);

/**
 * Text normalisation shared by the call search index and its queries, so both sides of a
 * lookup always agree: lower case, diacritics folded (ä→a, é→e, ß→ss), then stemmed.
 */

/** Lower-cases and removes diacritics: "Städtepartnerschaft" → "stadtepartnerschaft". */
export function fold(text: string): string {
  // The matcher's folding (ß, æ, ø, ł …), plus marks of any script (it keeps only Latin ones).
  return foldText(text)
    .normalize('NFD')
    .replace(/\p{M}+/gu, '');
}

const wordChar = /^[\p{L}\p{N}]+$/u;
/** Per UTF-16 code unit: 0 unknown, 1 letter or digit, 2 anything else (filled on first sight). */
const unitClass = new Uint8Array(65_536);
for (let c = 0; c < 128; c++)
  unitClass[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : 2;

/**
 * How many code units of a word character start at `i`: 1 or 2 (a letter outside the basic
 * plane), 0 for a separator.
 */
export function wordUnitsAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) return wordChar.test(text.slice(i, i + 2)) ? 2 : 0;
  let k = unitClass[c]!;
  if (k === 0) {
    k = wordChar.test(String.fromCharCode(c)) ? 1 : 2;
    unitClass[c] = k;
  }
  return k === 1 ? 1 : 0;
}

/** Splits on everything that is not a letter or digit (hyphens split too: "CERV-2026" → cerv, 2026). */
export function tokenize(text: string): string[] {
  // A scan by code unit instead of a Unicode-class regex split (faster, same output).
  const out: string[] = [];
  let start = -1;
  const n = text.length;
  for (let i = 0; i < n; ) {
    const w = wordUnitsAt(text, i);
    if (w > 0) {
      if (start < 0) start = i;
      i += w;
      continue;
    }
    if (start >= 0) {
      out.push(text.slice(start, i));
      start = -1;
    }
    i++;
  }
  if (start >= 0) out.push(text.slice(start));
  return out;
}

// A handful of words too frequent to carry meaning in either language.
const stopWords = new Set(
  (
    'a an and are as at be by for from in into is it of on or the to with ' +
    'der die das den dem des ein eine einer eines einem und oder in im ist sind von vom zu zur zum mit fur auf an als bei'
  ).split(' '),
);

const memo = new Map<string, string[]>();
const memoLimit = 500_000;

/**
 * The index terms of one token: its German and its English stem (the language of a call and
 * of a query is often unknown or mixed, and the two stems rarely collide harmfully).
 * Returns an empty list for stop words.
 */
export function termsOf(token: string): string[] {
  const cached = memo.get(token);
  if (cached) return cached;
  const t = fold(token);
  let terms: string[];
  if (t.length === 0 || stopWords.has(t)) terms = [];
  else if (/^\d+$/.test(t)) terms = [t];
  else {
    const en = stemEn(t);
    const de = stemDe(t);
    terms = en === de ? [en] : [en, de];
  }
  // Stemming dominates indexing time; the vocabulary of a corpus is small, so remember it.
  if (memo.size >= memoLimit) memo.clear();
  memo.set(token, terms);
  return terms;
}

const docMemo = new Map<string, string>();

/**
 * The one index term of a token in a text of known language (German stems for German texts,
 * English otherwise). Queries search both stems of each word (`termsOf`), so either matches.
 * Returns '' for stop words.
 */
export function indexTermOf(token: string, language: string): string {
  const key = `${language === 'de' ? 'd' : 'e'}${token}`;
  const cached = docMemo.get(key);
  if (cached !== undefined) return cached;
  const t = fold(token);
  const term =
    t.length === 0 || stopWords.has(t) ? '' : /^\d+$/.test(t) ? t : language === 'de' ? stemDe(t) : stemEn(t);
  if (docMemo.size >= memoLimit) docMemo.clear();
  docMemo.set(key, term);
  return term;
}

/** All terms of a text, in order (duplicates kept, as for indexing). */
export function analyze(text: string): string[] {
  return tokenize(text).flatMap(termsOf);
}
