import snowball from 'snowball-stemmers';

const de = snowball.newStemmer('german');
const en = snowball.newStemmer('english');

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
export const tokenStemIds: Int32Array[] = [];

function stemsOf(token: string): readonly string[] {
  if (token.length <= 3 || /^[0-9]/.test(token)) return [token];
  const a = de.stem(token);
  const b = en.stem(token);
  const s = a === b ? [a] : [a, b];
  // Plural acronyms (SMEs, NGOs) keep their "s" in both stemmers.
  if (token.length <= 5 && token.endsWith('s') && !s.includes(token.slice(0, -1))) s.push(token.slice(0, -1));
  return s;
}

/**
 * Per token id, the word as texts write it when that differs from the token (lower-cased, with
 * its umlauts and accents: "städtepartnerschaften"), from the first text that had it.
 */
export const tokenSurface: (string | undefined)[] = [];

/** Token ids in the order their surface was set (what a vocabulary delta carries). */
const surfaceLog: number[] = [];

export function scannedTokenId(token: string, surface: string): number {
  const id = tokenId(token);
  if (surface !== token && tokenSurface[id] === undefined) {
    tokenSurface[id] = surface;
    surfaceLog.push(id);
  }
  return id;
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

/** How far the vocabulary had grown at some moment (see `vocabSince`). */
export interface VocabMark {
  tokens: number;
  stems: number;
  surfaces: number;
}

/**
 * What the vocabulary learnt since a mark, as plain data a worker thread can post: the new
 * stems and tokens in id order (each token with its stem ids), and the surfaces set since.
 */
export interface VocabDelta {
  stemBase: number;
  tokenBase: number;
  stems: string[];
  tokens: string[];
  /** Per new token: its number of stems, then their ids. */
  tokenStems: Int32Array;
  surfaceIds: number[];
  surfaces: string[];
}

export function vocabMark(): VocabMark {
  return { tokens: tokenVocab.size, stems: stemVocab.size, surfaces: surfaceLog.length };
}

export function vocabSince(mark: VocabMark): VocabDelta {
  const tokens = tokenVocab.texts.slice(mark.tokens);
  let size = tokens.length;
  for (let id = mark.tokens; id < tokenVocab.size; id++) size += tokenStemIds[id]!.length;
  const tokenStems = new Int32Array(size);
  let k = 0;
  for (let id = mark.tokens; id < tokenVocab.size; id++) {
    const sts = tokenStemIds[id]!;
    tokenStems[k++] = sts.length;
    tokenStems.set(sts, k);
    k += sts.length;
  }
  const surfaceIds = surfaceLog.slice(mark.surfaces);
  return {
    stemBase: mark.stems,
    tokenBase: mark.tokens,
    stems: stemVocab.texts.slice(mark.stems),
    tokens,
    tokenStems,
    surfaceIds,
    surfaces: surfaceIds.map((id) => tokenSurface[id]!),
  };
}

/**
 * Takes over what another thread's vocabulary learnt, so ids agree in both: only when this
 * vocabulary is exactly where the other one was at its mark (false otherwise, nothing changed).
 * The words are not stemmed again; that was the other thread's work.
 */
export function adoptVocab(d: VocabDelta): boolean {
  if (tokenVocab.size !== d.tokenBase || stemVocab.size !== d.stemBase) return false;
  for (const s of d.stems) stemVocab.id(s);
  let k = 0;
  for (const t of d.tokens) {
    const id = tokenVocab.id(t);
    const n = d.tokenStems[k++]!;
    tokenStemIds[id] = d.tokenStems.slice(k, k + n);
    k += n;
  }
  d.surfaceIds.forEach((id, i) => {
    if (tokenSurface[id] === undefined) {
      tokenSurface[id] = d.surfaces[i]!;
      surfaceLog.push(id);
    }
  });
  return true;
}
