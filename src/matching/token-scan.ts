import { WordTable } from '../search/word-table.ts';

/**
 * Token ids of a text without folding the whole text or making a string per word: the same
 * tokens as `tokenize` in text.ts (the runs of `[a-z0-9]` of the folded text), found in one pass
 * over the raw text and looked up by their code units in an open-addressing table. A cold match
 * meets millions of words and a few ten thousand distinct ones, so folding every text, slicing
 * each word and hashing it in a Map was most of tokenising.
 *
 * Folding is done per code point (each non-ASCII one folded once, then cached): fold's steps
 * (lower case, ß→ss, compatibility decomposition, combining accents removed) act on each code
 * point alone as far as `[a-z0-9]` runs can tell; test/matching/token-scan.test.ts checks that
 * against `tokenize` on random text. A new word is resolved once (interned and stemmed) by the
 * function given, with the word as the text wrote it (lower-cased: "städtepartnerschaften" for
 * the token "stadtepartnerschaften"), so explanations can show words as people write them; the
 * table keeps the id for as long as the process runs, like the interner.
 */
export class TokenScan {
  private readonly table = new WordTable();
  /** The current word's code units. */
  private buf: Uint16Array = new Uint16Array(256);
  /** Fold of each non-ASCII BMP code unit (filled on first sight); astral code points in a map. */
  private readonly bmp: (string | undefined)[] = new Array(65_536);
  private readonly astral = new Map<number, string>();
  /** The ids of the last `scan`, in text order (the first `n` entries). */
  ids = new Int32Array(4096);
  private n = 0;

  constructor(
    private readonly resolve: (token: string, surface: string) => number,
    private readonly fold: (text: string) => string,
  ) {}

  /** Scans `text`; returns how many ids it wrote to `ids`. */
  scan(text: string): number {
    this.n = 0;
    this.text = text;
    let len = 0;
    let h = 0x811c9dc5;
    const end = text.length;
    let buf = this.buf;
    for (let i = 0; i < end; i++) {
      let c = text.charCodeAt(i);
      if (c < 128) {
        if (c >= 65 && c <= 90) c += 32;
        else if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) {
          if (len > 0) this.word(len, h, i);
          len = 0;
          h = 0x811c9dc5;
          continue;
        }
        if (len === 0) this.start = i;
        if (len === buf.length) buf = this.growBuf();
        buf[len++] = c;
        h = Math.imul(h ^ c, 0x01000193);
        continue;
      }
      let f: string;
      const at = i;
      const next = i + 1 < end ? text.charCodeAt(i + 1) : 0;
      if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const cp = (c - 0xd800) * 0x400 + (next - 0xdc00) + 0x10000;
        let g = this.astral.get(cp);
        if (g === undefined) {
          g = this.fold(String.fromCodePoint(cp));
          this.astral.set(cp, g);
        }
        f = g;
        i++;
      } else {
        let g = this.bmp[c];
        if (g === undefined) {
          g = this.fold(String.fromCharCode(c));
          this.bmp[c] = g;
        }
        f = g;
      }
      // Only lower-case letters and digits of the fold are word characters ("ℌ" folds to "H").
      for (let k = 0; k < f.length; k++) {
        const d = f.charCodeAt(k);
        if ((d >= 97 && d <= 122) || (d >= 48 && d <= 57)) {
          if (len === 0) this.start = at;
          if (len === buf.length) buf = this.growBuf();
          buf[len++] = d;
          h = Math.imul(h ^ d, 0x01000193);
        } else {
          if (len > 0) this.word(len, h, at);
          len = 0;
          h = 0x811c9dc5;
        }
      }
    }
    if (len > 0) this.word(len, h, end);
    this.text = '';
    return this.n;
  }

  /** The text being scanned and where its current word began (for a new word's surface). */
  private text = '';
  private start = 0;

  private word(len: number, hash: number, end: number): void {
    const id = this.lookup(len, hash | 1, end);
    if (this.n === this.ids.length) {
      const grown = new Int32Array(this.n * 2);
      grown.set(this.ids);
      this.ids = grown;
    }
    this.ids[this.n++] = id;
  }

  private lookup(len: number, h: number, end: number): number {
    const { hashes, keys, vals } = this.table;
    const mask = hashes.length - 1;
    const buf = this.buf;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const sh = hashes[slot]!;
      if (sh === 0) break;
      if (sh !== h) continue;
      const key = keys[slot]!;
      if (key.length !== len) continue;
      let same = true;
      for (let k = 0; k < len; k++) {
        if (key.charCodeAt(k) !== buf[k]) {
          same = false;
          break;
        }
      }
      if (same) return vals[slot]!;
    }
    let token = '';
    for (let k = 0; k < len; k += 4096)
      token += String.fromCharCode(...buf.subarray(k, Math.min(len, k + 4096)));
    // The word as written, where its fold is exactly the token (not when a code point folded
    // into two words, e.g. "ℌ½").
    const raw = this.text.slice(this.start, end).toLowerCase();
    const id = this.resolve(token, raw !== token && this.fold(raw) === token ? raw : token);
    this.table.insert(token, h, id);
    return id;
  }

  private growBuf(): Uint16Array {
    const grown = new Uint16Array(this.buf.length * 2);
    grown.set(this.buf);
    this.buf = grown;
    return grown;
  }
}
