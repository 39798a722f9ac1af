/**
 * An open-addressing table from a word (kept as a string) and its hash to an id: the part the
 * two scanners share (`src/search/token-ids.ts` for search, `src/matching/token-scan.ts` for
 * matching). Each scanner probes it itself, comparing the stored words with code units where it
 * has them (the text, or a buffer of folded units), so no string is made for a word already
 * known; `insert` and growth are here. Hashes are odd (never 0, which marks an empty slot).
 */
export class WordTable {
  keys: (string | undefined)[] = new Array(1 << 14);
  hashes = new Int32Array(1 << 14);
  vals = new Int32Array(1 << 14);
  count = 0;

  /** Adds `token` with hash `h` (odd) and `id`; grows the table at half full. */
  insert(token: string, h: number, id: number): void {
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
    const { keys, hashes, vals } = this;
    const size = hashes.length * 2;
    this.keys = new Array(size);
    this.hashes = new Int32Array(size);
    this.vals = new Int32Array(size);
    this.count = 0;
    for (let s = 0; s < hashes.length; s++) if (hashes[s] !== 0) this.insert(keys[s]!, hashes[s]!, vals[s]!);
  }

  /** Empties the table (back to its first size). */
  clear(): void {
    this.keys = new Array(1 << 14);
    this.hashes = new Int32Array(1 << 14);
    this.vals = new Int32Array(1 << 14);
    this.count = 0;
  }
}
