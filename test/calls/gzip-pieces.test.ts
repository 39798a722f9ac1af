import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { deflatePiece, exactCopy, GzipPieces } from '../../src/calls/gzip-pieces.ts';

/** A gzip member from `parts`: strings as plain bytes, arrays as one deflated piece of their concatenation. */
function build(parts: (string | Buffer | Buffer[])[]): { gz: Buffer; plain: Buffer } {
  const g = new GzipPieces();
  const all: Buffer[] = [];
  for (const p of parts) {
    if (Array.isArray(p)) {
      g.deflated(deflatePiece(Buffer.concat(p)));
      all.push(...p);
    } else {
      const b = typeof p === 'string' ? Buffer.from(p) : p;
      g.plain(b);
      all.push(b);
    }
  }
  return { gz: g.end(), plain: Buffer.concat(all) };
}

describe('gzip from kept pieces and plain bytes', () => {
  it('unpacks with a standard gunzip to exactly the bytes put in, in order', () => {
    const card = (n: number) => [
      Buffer.from(`{"id":"eu-ft:${n}","title":"Städtepartnerschaften – Klimaanpassung 😀",`),
      Buffer.from('"status":"open",'),
      Buffer.from(`"summary":"${'Kommunen und Regionen '.repeat(n)}"`),
    ];
    const { gz, plain } = build(['{"items":[', card(1), ',"relevance":1.5}', ',', card(7), '],"next":null}']);
    expect(gz.subarray(0, 3)).toEqual(Buffer.from([0x1f, 0x8b, 8]));
    expect(gunzipSync(gz)).toEqual(plain);
    // The pieces are compressed: repeated text takes less room than it says.
    expect(gz.length).toBeLessThan(plain.length);
  });

  it('handles only plain bytes, only pieces, and nothing at all', () => {
    for (const parts of [['a', 'b', 'c'], [[Buffer.from('x'.repeat(500))], [Buffer.from('y')]], []]) {
      const { gz, plain } = build(parts as (string | Buffer[])[]);
      expect(gunzipSync(gz)).toEqual(plain);
    }
  });

  it('splits plain runs over 65,535 bytes into several stored blocks, and checks binary bytes', () => {
    const big = randomBytes(200_000);
    const { gz, plain } = build([big.subarray(0, 70_000), [randomBytes(3000)], big.subarray(70_000), 'tail']);
    expect(gunzipSync(gz)).toEqual(plain);
    expect(plain.length).toBe(203_004);
  });

  it('is rejected by gunzip when a piece is damaged (the checksum covers every byte)', () => {
    const { gz } = build([
      '{"a":',
      [Buffer.from('"some text that is long enough to compress, compress"')],
      '}',
    ]);
    const bad = Buffer.from(gz);
    bad[bad.length - 12] = bad[bad.length - 12]! ^ 0xff; // a byte of the stored block before the end
    expect(() => gunzipSync(bad)).toThrow();
  });

  it('keeps pieces in memory of their own size, not as views of the 16 kB zlib output', () => {
    const piece = deflatePiece(Buffer.from('Kommunen und Regionen '.repeat(20))).bytes;
    expect(piece.buffer.byteLength).toBe(piece.length);
    const slab = Buffer.from('a small buffer from the shared pool');
    const copy = exactCopy(slab);
    expect(copy).toEqual(slab);
    expect(copy.buffer.byteLength).toBe(slab.length);
    const own = Buffer.allocUnsafeSlow(10);
    expect(exactCopy(own)).toBe(own);
  });
});
