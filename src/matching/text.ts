import snowball from 'snowball-stemmers';

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

const stemCache = new Map<string, readonly string[]>();

/** The distinct German and English stems of one folded token (one or two entries). */
export function stems(token: string): readonly string[] {
  let s = stemCache.get(token);
  if (s) return s;
  if (token.length <= 3 || /^[0-9]/.test(token)) s = [token];
  else {
    const a = de.stem(token);
    const b = en.stem(token);
    s = a === b ? [a] : [a, b];
    // Plural acronyms (SMEs, NGOs) keep their "s" in both stemmers.
    if (token.length <= 5 && token.endsWith('s') && !s.includes(token.slice(0, -1)))
      s = [...s, token.slice(0, -1)];
  }
  if (stemCache.size > 200_000) stemCache.clear();
  stemCache.set(token, s);
  return s;
}

/**
 * stem → token positions, stored compactly (sorted stems, one Int32Array of positions): calls
 * stay tokenised in memory between re-matches, and maps of small arrays per call would make the
 * heap, and garbage collection, several times larger.
 */
export class StemPositions {
  private readonly starts: Int32Array;
  private readonly pos: Int32Array;
  /** Distinct stems, sorted. */
  readonly stems: readonly string[];

  constructor(map: ReadonlyMap<string, readonly number[]>) {
    const stems = [...map.keys()].sort();
    const starts = new Int32Array(stems.length + 1);
    let n = 0;
    stems.forEach((st, i) => {
      starts[i] = n;
      n += map.get(st)!.length;
    });
    starts[stems.length] = n;
    const pos = new Int32Array(n);
    for (let i = 0; i < stems.length; i++) pos.set(map.get(stems[i]!)!, starts[i]!);
    this.stems = stems;
    this.starts = starts;
    this.pos = pos;
  }

  private indexOf(stem: string): number {
    let lo = 0;
    let hi = this.stems.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.stems[mid]!;
      if (v === stem) return mid;
      if (v < stem) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  has(stem: string): boolean {
    return this.indexOf(stem) >= 0;
  }

  /** Positions of the stem (ascending), or undefined. */
  get(stem: string): number[] | undefined {
    const i = this.indexOf(stem);
    return i < 0 ? undefined : Array.from(this.pos.subarray(this.starts[i]!, this.starts[i + 1]!));
  }

  /** First position of the i-th stem of `stems`. */
  first(i: number): number {
    return this.pos[this.starts[i]!]!;
  }

  keys(): readonly string[] {
    return this.stems;
  }

  get size(): number {
    return this.stems.length;
  }
}

/** A tokenised text: positions of every stem, and the folded tokens in order. */
export interface TextDoc {
  tokens: readonly string[];
  /** stem → token positions (ascending). Both the German and English stem of a token are keys. */
  positions: StemPositions;
  /** Distinct tokens (wildcards are checked once per distinct word). */
  distinct: readonly string[];
  /** Per-rule-set memo of term results (owned by the term index that wrote it). */
  memo?: { owner: object; hits: Int8Array; wild?: Map<number, number[]> };
}

export function analyze(text: string): TextDoc {
  const tokens = tokenize(text);
  const positions = new Map<string, number[]>();
  for (let i = 0; i < tokens.length; i++) {
    for (const s of stems(tokens[i]!)) {
      const list = positions.get(s);
      if (list) list.push(i);
      else positions.set(s, [i]);
    }
  }
  return { tokens, positions: new StemPositions(positions), distinct: [...new Set(tokens)] };
}

const stopList = `
aber alle allen aller alles als also am an auch auf aus bei beim bis da damit dass dem den der des die dies diese diesem diesen dieser dieses durch ein eine einem einen einer eines es fur gegen hat haben hier ihr ihre im in ist jede jedem jeden jeder kann konnen mit nach nicht noch nur ob oder ohne sich sie sind so sowie uber um und uns unter vom von vor war werden wie wird wir zu zum zur zwischen
a about above after all also among an and any are as at be been being between both but by can could do does each for from had has have how if in into is it its may more most must no not of on or other our out over per should so some such than that the their them then there these they this those through to under up upon was we were what when where which while who will with within would you your
`;
/** Function words in both languages; kept out of BM25 profiles and queries. */
export const stopwords: ReadonlySet<string> = new Set(stopList.split(/\s+/).filter(Boolean));
