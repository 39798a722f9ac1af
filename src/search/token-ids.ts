import { wordUnitsAt } from './text.ts';
import { WordTable } from './word-table.ts';

/**
 * Term ids of the words of a text, as `tokenize` splits it, without making a string per word:
 * an open-addressing table from raw token (by its code units) to id. Indexing every call at
 * start meets a few million words and a few ten thousand distinct ones, so the per-word string
 * and map lookup were most of the build. A token is resolved once (fold, stem, intern) by the
 * function given; ids below 0 (stop words) are skipped.
 */
export class TokenIds {
  private readonly table = new WordTable();
  /** The ids of the last `scan`, in text order (the first `n` entries). */
  ids = new Int32Array(1024);

  constructor(
    private readonly resolve: (token: string) => number,
    private readonly limit = 500_000,
  ) {}

  /** Scans `text`; returns how many ids it wrote to `ids`. */
  scan(text: string): number {
    let n = 0;
    const len = text.length;
    let i = 0;
    while (i < len) {
      let w = wordUnitsAt(text, i);
      if (w === 0) {
        i++;
        continue;
      }
      const start = i;
      let h = 0x811c9dc5;
      while (w > 0) {
        for (let k = 0; k < w; k++) h = Math.imul(h ^ text.charCodeAt(i + k), 0x01000193);
        i += w;
        w = i < len ? wordUnitsAt(text, i) : 0;
      }
      const id = this.lookup(text, start, i, h | 1);
      if (id < 0) continue;
      if (n === this.ids.length) {
        const grown = new Int32Array(n * 2);
        grown.set(this.ids);
        this.ids = grown;
      }
      this.ids[n++] = id;
    }
    return n;
  }

  private lookup(text: string, start: number, end: number, h: number): number {
    const { hashes, keys, vals } = this.table;
    const mask = hashes.length - 1;
    const len = end - start;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const sh = hashes[slot]!;
      if (sh === 0) break;
      if (sh !== h) continue;
      const key = keys[slot]!;
      if (key.length !== len) continue;
      let same = true;
      for (let k = 0; k < len; k++) {
        if (key.charCodeAt(k) !== text.charCodeAt(start + k)) {
          same = false;
          break;
        }
      }
      if (same) return vals[slot]!;
    }
    const token = text.slice(start, end);
    const id = this.resolve(token);
    if (this.table.count >= this.limit) this.table.clear();
    this.table.insert(token, h, id);
    return id;
  }

  clear(): void {
    this.table.clear();
  }
}
