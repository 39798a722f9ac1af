import snowball from 'snowball-stemmers';
import { TokenScan } from './token-scan.ts';

/**
 * Text normalisation shared by calls, rule terms and target profiles: lower case, accents and
 * umlauts folded (ä→a, ß→ss), split into word tokens, each token stemmed with the German and
 * the English Snowball stemmer. A call is tokenised once; conditions then look up stems in a
 * map instead of scanning the text.
 */

const de = snowball.newStemmer('german');
const en = snowball.newStemmer('english');

const special: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ı: 'i' };

/** Lower case, ß→ss, accents removed (é→e, ä→a, å→a). */
export function fold(text: string): string {
  return text
    .toLowerCase()
    .replace(/[ßæœøłđı]/g, (c) => special[c] ?? c)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');
}

/** Folded word tokens (letters and digits), in order. */
export function tokenize(text: string): string[] {
  return fold(text).match(/[a-z0-9]+/g) ?? [];
}

/**
 * Process-wide interning of words and stems as integer ids. Calls are tokenised once and then
 * kept as typed arrays of ids: conditions, wildcards and BM25 weights are looked up by array
 * index instead of hashing strings, and the tokenised corpus stays small for the garbage
 * collector. Ids are never reused; the tables grow with the corpus vocabulary (a few MB for
 * 100,000 distinct words).
 */
class Interner {
  private readonly ids = new Map<string, number>();
  readonly texts: string[] = [];
  id(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.ids.set(text, id);
      this.texts.push(text);
    }
    return id;
  }
  /** The id of a known text, or -1 (never interns). */
  find(text: string): number {
    return this.ids.get(text) ?? -1;
  }
  get size(): number {
    return this.texts.length;
  }
}

export const stemVocab = new Interner();
export const tokenVocab = new Interner();
/** Stem ids of each token id (dense: filled when the token is interned). */
const tokenStemIds: Int32Array[] = [];

function stemsOf(token: string): readonly string[] {
  if (token.length <= 3 || /^[0-9]/.test(token)) return [token];
  const a = de.stem(token);
  const b = en.stem(token);
  const s = a === b ? [a] : [a, b];
  // Plural acronyms (SMEs, NGOs) keep their "s" in both stemmers.
  if (token.length <= 5 && token.endsWith('s') && !s.includes(token.slice(0, -1))) s.push(token.slice(0, -1));
  return s;
}

/** The id of a folded token; interns it and its stems on first sight. */
export function tokenId(token: string): number {
  const known = tokenVocab.find(token);
  if (known >= 0) return known;
  const id = tokenVocab.id(token);
  tokenStemIds[id] = Int32Array.from(stemsOf(token), (st) => stemVocab.id(st));
  return id;
}

/** Stem ids of a token id (one or two entries). */
export function stemIdsOfToken(id: number): Int32Array {
  return tokenStemIds[id]!;
}

/** The distinct German and English stems of one folded token (one or two entries). */
export function stems(token: string): readonly string[] {
  return Array.from(tokenStemIds[tokenId(token)]!, (id) => stemVocab.texts[id]!);
}

const EMPTY = new Int32Array(0);
/** Per token id: the last doc that saw it (distinct tokens without a Set per doc). */
let seen: Int32Array = new Int32Array(1024);
/** Per stem id: the last doc that saw it, and its count, then its write cursor, in that doc. */
let stemSeen: Int32Array = new Int32Array(1024);
let stemAt: Int32Array = new Int32Array(1024);
let docStamp = 0;

function grow(a: Int32Array, index: number): Int32Array {
  const next = new Int32Array(Math.max(index + 1, a.length * 2));
  next.set(a);
  return next;
}

/** Index of `x` in the ascending range `a[from, to)`, or -1. */
function search(a: Int32Array, from: number, to: number, x: number): number {
  let lo = from;
  let hi = to - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = a[mid]!;
    if (v === x) return mid;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
/**
 * One buffer for the term memos of the docs of one call, which are made and dropped together:
 * a typed array of its own per doc was a large part of a cold match (allocation, backing store,
 * collection). A memo that must grow later (new terms) gets an array of its own.
 */
export class MemoArena {
  private buf?: Int8Array;
  private next = 0;
  constructor(private readonly docs: number) {}

  /** A zeroed memo of `n` entries. */
  take(n: number): Int8Array {
    if (!this.buf || this.next + n > this.buf.length) {
      this.buf = new Int8Array(n * this.docs);
      this.next = 0;
    }
    const at = this.next;
    this.next += n;
    return this.buf.subarray(at, at + n);
  }
}

/** Tokens per doc at most (positions once had to fit 24 bits; kept so docs stay the same). */
const maxTokens = 2 ** 24 - 1;
/** Two scratch buffers for building docs (docs are built one at a time; results are copies). */
const scratch = [new Int32Array(1024), new Int32Array(1024)];
function scratchOf(k: 0 | 1, n: number): Int32Array {
  if (scratch[k]!.length < n) scratch[k] = new Int32Array(n);
  return scratch[k]!;
}

/**
 * A tokenised text: the token ids in order, and for every distinct stem (German and English
 * stem of each token) its positions, stored compactly (sorted stem ids, one Int32Array of
 * positions): calls stay tokenised in memory between re-matches.
 */
export class TextDoc {
  /** Token ids in text order. */
  readonly tokens: Int32Array;
  /** Distinct stem ids, ascending. */
  readonly stems: Int32Array;
  private readonly starts: Int32Array;
  private readonly pos: Int32Array;
  /** Distinct token ids (wildcards are checked once per distinct word). */
  readonly distinct: Int32Array;
  /** Term results by process-wide term id (see operators.ts): 1 occurs, 2 not, 0 unknown. */
  memo?: Int8Array;
  /** Where the term memo is cut from: shared by the docs of one call (see `MemoArena`). */
  arena?: MemoArena;
  /** Token positions per wildcard pattern id, for the first `wildChecked` patterns. */
  wildPositions?: Map<number, number[]>;
  wildChecked?: number;

  /** From the first `count` token ids of `ids` (copied). */
  constructor(ids: Int32Array, count: number) {
    const n = Math.min(count, maxTokens);
    const tokens = ids;
    if (docStamp > 2 ** 30) {
      seen.fill(0);
      stemSeen.fill(0);
      docStamp = 0;
    }
    const stamp = ++docStamp;
    // Every id is below its vocabulary's size: grow the per-id tables once, then use locals.
    if (seen.length < tokenVocab.size) seen = grow(seen, tokenVocab.size);
    if (stemSeen.length < stemVocab.size) {
      stemSeen = grow(stemSeen, stemVocab.size);
      stemAt = grow(stemAt, stemVocab.size);
    }
    const tokSeen = seen;
    const stSeen = stemSeen;
    const at = stemAt;
    const stemIds = tokenStemIds;
    // Pass 1: distinct tokens (in order of first sight), distinct stems and their counts.
    let pairs = 0;
    let distinct = 0;
    let distinctStems = 0;
    const firsts = scratchOf(0, n);
    const stemList = scratchOf(1, n * 3);
    for (let i = 0; i < n; i++) {
      const id = tokens[i]!;
      if (tokSeen[id] !== stamp) {
        tokSeen[id] = stamp;
        firsts[distinct++] = id;
      }
      const sts = stemIds[id]!;
      pairs += sts.length;
      for (let j = 0; j < sts.length; j++) {
        const st = sts[j]!;
        if (stSeen[st] !== stamp) {
          stSeen[st] = stamp;
          at[st] = 1;
          stemList[distinctStems++] = st;
        } else at[st]!++;
      }
    }
    // One buffer for the doc's five arrays: a cold match builds docs by the ten thousand, and
    // each typed array of its own costs an allocation and a backing store to collect.
    const buf = new Int32Array(n + distinctStems + distinctStems + 1 + pairs + distinct);
    let off = 0;
    const view = (len: number) => {
      off += len;
      return buf.subarray(off - len, off);
    };
    this.tokens = view(n);
    this.tokens.set(tokens.subarray(0, n));
    // Distinct stems ascending; each stem's positions start after those of the smaller ones.
    const stems = distinctStems === 0 ? EMPTY : view(distinctStems);
    if (distinctStems > 0) stems.set(stemList.subarray(0, distinctStems).sort());
    const starts = view(distinctStems + 1);
    let next = 0;
    for (let k = 0; k < distinctStems; k++) {
      const st = stems[k]!;
      starts[k] = next;
      const c = at[st]!;
      at[st] = next;
      next += c;
    }
    starts[distinctStems] = pairs;
    // Pass 2: positions in text order, so each stem's positions come out ascending.
    const pos = view(pairs);
    for (let i = 0; i < n; i++) {
      const sts = stemIds[tokens[i]!]!;
      for (let j = 0; j < sts.length; j++) pos[at[sts[j]!]!++] = i;
    }
    this.stems = stems;
    this.starts = starts;
    this.pos = pos;
    this.distinct = view(distinct);
    this.distinct.set(firsts.subarray(0, distinct));
  }

  /** Index of a stem id in `stems`, or -1. */
  indexOf(stem: number): number {
    return search(this.stems, 0, this.stems.length, stem);
  }

  /** Positions of the stem (ascending), or undefined. */
  positions(stem: number): Int32Array | undefined {
    const i = this.indexOf(stem);
    return i < 0 ? undefined : this.pos.subarray(this.starts[i]!, this.starts[i + 1]!);
  }

  /** Does the stem occur at token position `at`? (binary search, no allocation) */
  hasAt(stem: number, at: number): boolean {
    const i = this.indexOf(stem);
    return i >= 0 && search(this.pos, this.starts[i]!, this.starts[i + 1]!, at) >= 0;
  }

  /** The positions of the i-th stem of `stems` are `position(k)` for k in `[from(i), from(i + 1))`. */
  from(i: number): number {
    return this.starts[i]!;
  }

  position(k: number): number {
    return this.pos[k]!;
  }

  /** First position of the i-th stem of `stems`. */
  first(i: number): number {
    return this.pos[this.starts[i]!]!;
  }

  /** The folded word at a token position. */
  word(position: number): string {
    return tokenVocab.texts[this.tokens[position]!]!;
  }
}

const scanner = new TokenScan(tokenId, fold);

/** The tokenised text: the same tokens as `tokenize(text)`, without a string per word. */
export function analyze(text: string): TextDoc {
  const n = scanner.scan(text);
  return new TextDoc(scanner.ids, n);
}

const stopList = `
aber alle allen aller alles als also am an auch auf aus bei beim bis da damit dass dem den der des die dies diese diesem diesen dieser dieses durch ein eine einem einen einer eines es fur gegen hat haben hier ihr ihre im in ist jede jedem jeden jeder kann konnen mit nach nicht noch nur ob oder ohne sich sie sind so sowie uber um und uns unter vom von vor war werden wie wird wir zu zum zur zwischen
a about above after all also among an and any are as at be been being between both but by can could do does each for from had has have how if in into is it its may more most must no not of on or other our out over per should so some such than that the their them then there these they this those through to under up upon was we were what when where which while who will with within would you your
`;
/** Function words in both languages; kept out of BM25 profiles and queries. */
export const stopwords: ReadonlySet<string> = new Set(stopList.split(/\s+/).filter(Boolean));
