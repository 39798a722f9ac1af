/**
 * 53-bit signatures for change detection (not security): two 32-bit multiply-xor hashes over
 * the same input, combined into one safe integer, so a collision is about as likely as
 * guessing a 53-bit number.
 */
export class Signature {
  private h1 = 0x811c9dc5;
  private h2 = 0x9747b28c;

  /** Mixes in a number (integers exactly; other numbers by their 32-bit parts). */
  add(x: number): this {
    if (Number.isInteger(x) && Math.abs(x) < 2 ** 31) return this.mix(x | 0);
    const hi = Math.floor(x / 2 ** 32);
    return this.mix(hi | 0).mix((x - hi * 2 ** 32) | 0);
  }

  addString(s: string): this {
    for (let i = 0; i < s.length; i++) this.mix(s.charCodeAt(i));
    return this.mix(s.length);
  }

  private mix(k: number): this {
    this.h1 = Math.imul(this.h1 ^ k, 0x01000193);
    this.h1 ^= this.h1 >>> 15;
    let k2 = Math.imul(k, 0xcc9e2d51);
    k2 = (k2 << 15) | (k2 >>> 17);
    this.h2 = Math.imul(this.h2 ^ Math.imul(k2, 0x1b873593), 5) + 0xe6546b64;
    this.h2 ^= this.h2 >>> 13;
    return this;
  }

  /** The signature as a non-negative safe integer (fits SQLite INTEGER and a JS number). */
  value(): number {
    const a = Math.imul(this.h1 ^ (this.h1 >>> 16), 0x85ebca6b) >>> 0;
    const b = Math.imul(this.h2 ^ (this.h2 >>> 16), 0xc2b2ae35) >>> 0;
    return a * 2 ** 21 + (b >>> 11);
  }
}

export function hashString(s: string): number {
  return new Signature().addString(s).value();
}

/**
 * Version of what a match row stores (score, eligibility, the reason lines of `reasonRows`).
 * Part of every call's match signature, so a release that words reasons differently rewrites
 * the stored rows on its first re-match. Bump it with any change to that output:
 * test/matching/row-format.test.ts fails until the new output is registered under a new
 * version. 5: rows keep the reason lines only, explanations are made on read.
 */
export const matchRowFormat = 5;
