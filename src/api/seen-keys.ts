/**
 * Which keys were asked for recently, approximately: a fixed table of 32-bit fingerprints,
 * indexed by a second hash of the key. Remembering a key allocates nothing, so a stream of new
 * queries leaves no garbage behind here (a `Set` of their URLs would be promoted and freed only
 * by full collections, see src/calls/recent-cache.ts).
 *
 * Approximate both ways, and harmless both ways: a key whose slot another key took since is
 * forgotten (seen "for the first time" once more), and two keys with the same slot and
 * fingerprint (about one in 2^32 per pair) pass for each other.
 */
export class SeenKeys {
  private readonly prints: Int32Array;
  private readonly mask: number;

  /** Room for `2^bits` keys. */
  constructor(bits = 16) {
    if (!Number.isInteger(bits) || bits < 1 || bits > 24)
      throw new RangeError(`bits must be 1–24 (got ${bits})`);
    this.prints = new Int32Array(1 << bits);
    this.mask = (1 << bits) - 1;
  }

  /** Whether `key` was seen before (it stays remembered); else remembers it and says false. */
  seen(key: string): boolean {
    // FNV-1a for the slot and a multiply-xorshift hash for the fingerprint, in one pass.
    let a = 0x811c9dc5;
    let b = 0x9e3779b9;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    // 0 marks an empty slot: no fingerprint may be 0.
    const print = b | 1;
    const slot = (a ^ (a >>> 16)) & this.mask;
    if (this.prints[slot] === print) return true;
    this.prints[slot] = print;
    return false;
  }

  /** Forgets every key. */
  clear(): void {
    this.prints.fill(0);
  }
}
