import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32Combine, mulMod, shiftFor } from '../../src/calls/crc32-combine.ts';

describe('CRC-32 of joined bytes from the parts’ checksums', () => {
  it('equals zlib’s CRC-32 of the concatenation, for any lengths including empty parts', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 3000 }), (a, b) => {
        const A = Buffer.from(a);
        const B = Buffer.from(b);
        expect(crc32Combine(crc32(A), crc32(B), shiftFor(B.length))).toBe(crc32(Buffer.concat([A, B])));
      }),
    );
  });

  it('holds for parts longer than the stored blocks and chained over many parts', () => {
    const parts = [
      randomBytes(70_000),
      randomBytes(1),
      randomBytes(0),
      randomBytes(131_072),
      randomBytes(977),
    ];
    let crc = 0;
    for (const p of parts) crc = crc32Combine(crc, crc32(p), shiftFor(p.length));
    expect(crc).toBe(crc32(Buffer.concat(parts)));
  });

  it('multiplies by one (x^0) as the identity and rejects lengths beyond its table', () => {
    expect(mulMod(0x80000000, 0x1234abcd)).toBe(0x1234abcd);
    expect(shiftFor(0)).toBe(0x80000000);
    expect(() => shiftFor(2 ** 29)).toThrow(RangeError);
  });
});
