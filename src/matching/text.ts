import { TokenScan } from './token-scan.ts';
import { scannedTokenId, stemVocab, tokenStemIds, tokenSurface, tokenVocab } from './vocab.ts';

/**
 * Text normalisation shared by calls, rule terms and target profiles: lower case, accents and
 * umlauts folded (ä→a, ß→ss), split into word tokens, each token stemmed with the German and
 * the English Snowball stemmer. A call is tokenised once; conditions then look up stems in a
 * map instead of scanning the text.
 */

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
  /**
   * The call's buffer (shared by its docs) and where this doc's parts start in it: token ids in
   * text order, distinct stem ids ascending, where each stem's positions start (relative to the
   * positions), the positions, distinct token ids. Offsets rather than a typed-array view per
   * part: 20 views per call were most of the memory a cached call kept on the JS heap.
   */
  private readonly buf: Int32Array;
  private readonly t0: number;
  private readonly n: number;
  private readonly s0: number;
  private readonly d: number;
  private readonly st0: number;
  private readonly p0: number;
  private readonly k0: number;
  private readonly k: number;
  /** Token positions per wildcard pattern id, for the first `wildChecked` patterns. */
  wildPositions?: Map<number, number[]>;
  wildChecked?: number;

  /** The parts in `buf` from `at`: `n` tokens, `d` stems, `d + 1` starts, `pairs` positions, `k` distinct tokens. */
  constructor(buf: Int32Array, at: number, n: number, d: number, pairs: number, k: number) {
    this.buf = buf;
    this.t0 = at;
    this.n = n;
    this.s0 = at + n;
    this.d = d;
    this.st0 = this.s0 + d;
    this.p0 = this.st0 + d + 1;
    this.k0 = this.p0 + pairs;
    this.k = k;
  }

  /** The buffer this doc shares with its call's other docs, and where its parts are in it. */
  parts(): { buf: Int32Array; layout: [at: number, n: number, d: number, pairs: number, k: number] } {
    return { buf: this.buf, layout: [this.t0, this.n, this.d, this.k0 - this.p0, this.k] };
  }

  /** Token ids in text order (a fresh view: take it once per loop). */
  get tokens(): Int32Array {
    return this.buf.subarray(this.t0, this.t0 + this.n);
  }

  /** Distinct stem ids, ascending (a fresh view: take it once per loop). */
  get stems(): Int32Array {
    return this.d === 0 ? EMPTY : this.buf.subarray(this.s0, this.s0 + this.d);
  }

  /** Distinct token ids, wildcards are checked once per distinct word (a fresh view). */
  get distinct(): Int32Array {
    return this.buf.subarray(this.k0, this.k0 + this.k);
  }

  /** Index of a stem id in `stems`, or -1. */
  indexOf(stem: number): number {
    const i = search(this.buf, this.s0, this.s0 + this.d, stem);
    return i < 0 ? -1 : i - this.s0;
  }

  /** Positions of the stem (ascending), or undefined. */
  positions(stem: number): Int32Array | undefined {
    const i = this.indexOf(stem);
    if (i < 0) return undefined;
    const b = this.buf;
    return b.subarray(this.p0 + b[this.st0 + i]!, this.p0 + b[this.st0 + i + 1]!);
  }

  /** Does the stem occur at token position `at`? (binary search, no allocation) */
  hasAt(stem: number, at: number): boolean {
    const i = this.indexOf(stem);
    if (i < 0) return false;
    const b = this.buf;
    return search(b, this.p0 + b[this.st0 + i]!, this.p0 + b[this.st0 + i + 1]!, at) >= 0;
  }

  /** The positions of the i-th stem of `stems` are `position(k)` for k in `[from(i), from(i + 1))`. */
  from(i: number): number {
    return this.buf[this.st0 + i]!;
  }

  position(k: number): number {
    return this.buf[this.p0 + k]!;
  }

  /** First position of the i-th stem of `stems`. */
  first(i: number): number {
    return this.buf[this.p0 + this.buf[this.st0 + i]!]!;
  }

  /** The token id at a token position. */
  tokenIdAt(position: number): number {
    return this.buf[this.t0 + position]!;
  }

  /** The folded token at a token position. */
  token(position: number): string {
    return tokenVocab.texts[this.buf[this.t0 + position]!]!;
  }

  /** The word at a token position as texts write it (lower-cased), else its folded token. */
  word(position: number): string {
    const id = this.buf[this.t0 + position]!;
    return tokenSurface[id] ?? tokenVocab.texts[id]!;
  }
}

const scanner = new TokenScan(scannedTokenId, fold);

/** The docs being built, one after another: `analyzeAll` copies them into one buffer at the end. */
let work: Int32Array = new Int32Array(1 << 16);

/** Ascending, in place (insertion sort for the short lists of most texts; else the built-in). */
function sortIds(a: Int32Array, n: number): void {
  if (n > 64) {
    a.subarray(0, n).sort();
    return;
  }
  for (let i = 1; i < n; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}

/**
 * Writes the doc of the first `count` ids of `ids` into `work` from `at`: tokens, distinct stems
 * (ascending), where each stem's positions start, the positions (grouped by stem, ascending),
 * distinct tokens (in order of first sight). Returns the layout for `TextDoc`.
 */
function writeDoc(
  ids: Int32Array,
  count: number,
  at: number,
): [n: number, d: number, pairs: number, k: number] {
  const n = Math.min(count, maxTokens);
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
  const cursor = stemAt;
  const stemIds = tokenStemIds;
  // Pass 1: distinct tokens, distinct stems and how often each occurs.
  let pairs = 0;
  let k = 0;
  let d = 0;
  const firsts = scratchOf(0, n);
  const stemList = scratchOf(1, n * 3);
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    if (tokSeen[id] !== stamp) {
      tokSeen[id] = stamp;
      firsts[k++] = id;
    }
    const sts = stemIds[id]!;
    pairs += sts.length;
    for (let j = 0; j < sts.length; j++) {
      const st = sts[j]!;
      if (stSeen[st] !== stamp) {
        stSeen[st] = stamp;
        cursor[st] = 1;
        stemList[d++] = st;
      } else cursor[st]!++;
    }
  }
  const size = n + d + d + 1 + pairs + k;
  if (work.length < at + size) work = grow(work, at + size);
  const w = work;
  w.set(ids.subarray(0, n), at);
  // Distinct stems ascending; each stem's positions start after those of the smaller ones.
  sortIds(stemList, d);
  const stems = at + n;
  const starts = stems + d;
  const pos = starts + d + 1;
  let next = 0;
  for (let x = 0; x < d; x++) {
    const st = stemList[x]!;
    w[stems + x] = st;
    w[starts + x] = next;
    const c = cursor[st]!;
    cursor[st] = next;
    next += c;
  }
  w[starts + d] = pairs;
  // Pass 2: positions in text order, so each stem's positions come out ascending.
  for (let i = 0; i < n; i++) {
    const sts = stemIds[ids[i]!]!;
    for (let j = 0; j < sts.length; j++) w[pos + cursor[sts[j]!]!++] = i;
  }
  w.set(firsts.subarray(0, k), pos + pairs);
  return [n, d, pairs, k];
}

/**
 * Tokenised texts whose five arrays each live in one buffer: the docs of one call are made and
 * dropped together, and a cold match makes them by the ten thousand, so one allocation per call
 * instead of five per doc (each typed array costs an allocation and a backing store to collect).
 */
export function analyzeAll(texts: readonly string[]): TextDoc[] {
  const layouts: [number, number, number, number][] = [];
  let used = 0;
  for (const text of texts) {
    const l = writeDoc(scanner.ids, scanner.scan(text), used);
    layouts.push(l);
    used += l[0] + 2 * l[1] + 1 + l[2] + l[3];
  }
  const buf = work.slice(0, used);
  let at = 0;
  return layouts.map(([n, d, pairs, k]) => {
    const doc = new TextDoc(buf, at, n, d, pairs, k);
    at += n + 2 * d + 1 + pairs + k;
    return doc;
  });
}

/** The tokenised text: the same tokens as `tokenize(text)`, without a string per word. */
export function analyze(text: string): TextDoc {
  return analyzeAll([text])[0]!;
}

const stopList = `
aber alle allen aller alles als also am an auch auf aus bei beim bis da damit dass dem den der des die dies diese diesem diesen dieser dieses durch ein eine einem einen einer eines es fur gegen hat haben hier ihr ihre im in ist jede jedem jeden jeder kann konnen mit nach nicht noch nur ob oder ohne sich sie sind so sowie uber um und uns unter vom von vor war werden wie wird wir zu zum zur zwischen
a about above after all also among an and any are as at be been being between both but by can could do does each for from had has have how if in into is it its may more most must no not of on or other our out over per should so some such than that the their them then there these they this those through to under up upon was we were what when where which while who will with within would you your
`;
/** Function words in both languages; kept out of BM25 profiles and queries. */
export const stopwords: ReadonlySet<string> = new Set(stopList.split(/\s+/).filter(Boolean));
