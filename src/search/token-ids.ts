import { wordUnitsAt } from './text.ts';

/**
 * Term ids of the words of a text, as `tokenize` splits it, without making a string per word:
 * an open-addressing table from raw token (by its code units) to id. Indexing every call at
 * start meets a few million words and a few ten thousand distinct ones, so the per-word string
 * and map lookup were most of the build. A token is resolved once (fold, stem, intern) by the
 * function given; ids below 0 (stop words) are skipped.
 */
export class TokenIds {
  private keys: (string | undefined)[] = new Array(1 << 14);
  private hashes = new Int32Array(1 << 14);
  private vals = new Int32Array(1 << 14);
  private count = 0;
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
    const mask = this.hashes.length - 1;
    const len = end - start;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const sh = this.hashes[slot]!;
      if (sh === 0) break;
      if (sh !== h) continue;
      const key = this.keys[slot]!;
      if (key.length !== len) continue;
      let same = true;
      for (let k = 0; k < len; k++) {
        if (key.charCodeAt(k) !== text.charCodeAt(start + k)) {
          same = false;
          break;
        }
      }
      if (same) return this.vals[slot]!;
    }
    const token = text.slice(start, end);
    const id = this.resolve(token);
    this.insert(token, h, id);
    return id;
  }

  private insert(token: string, h: number, id: number): void {
    if (this.count >= this.limit) this.clear();
    if ((this.count + 1) * 2 > this.hashes.length) this.grow();
    const mask = this.hashes.length - 1;
    let slot = h & mask;
    while (this.hashes[slot] !== 0) slot = (slot + 1) & mask;
    this.hashes[slot] = h;
    this.keys[slot] = token;
    this.vals[slot] = id;
    this.count++;
  }

  private grow(): void {
    const keys = this.keys;
    const hashes = this.hashes;
    const vals = this.vals;
    const size = hashes.length * 2;
    this.keys = new Array(size);
    this.hashes = new Int32Array(size);
    this.vals = new Int32Array(size);
    this.count = 0;
    for (let s = 0; s < hashes.length; s++) if (hashes[s] !== 0) this.insert(keys[s]!, hashes[s]!, vals[s]!);
  }

  clear(): void {
    this.keys = new Array(1 << 14);
    this.hashes = new Int32Array(1 << 14);
    this.vals = new Int32Array(1 << 14);
    this.count = 0;
  }
}
