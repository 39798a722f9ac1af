/**
 * Combining CRC-32s (the gzip checksum, reflected polynomial 0xEDB88320) without reading the
 * bytes again: crc(A ‖ B) = crc(A) · x^(8·|B|) ⊕ crc(B) over GF(2) modulo the polynomial. A kept
 * gzip piece stores its CRC and its factor x^(8·|B|), so an answer's checksum costs one
 * multiplication per card instead of a pass over ~1 kB of text per card (zlib's own
 * crc32_combine, which Node does not expose, works the same way).
 */

const poly = 0xedb88320;
/** x^0 in the reflected representation: the highest bit stands for the constant term. */
const one = 0x80000000;

/** a · b modulo the polynomial, both in the reflected representation. */
export function mulMod(a: number, b: number): number {
  let m = one;
  let p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    if (m === 0) break;
    b = b & 1 ? (b >>> 1) ^ poly : b >>> 1;
  }
  return p >>> 0;
}

// x^(2^k) modulo the polynomial for k = 0 … 31 (x^1 is 1 << 30).
const squares = new Uint32Array(32);
squares[0] = 1 << 30;
for (let k = 1; k < 32; k++) squares[k] = mulMod(squares[k - 1]!, squares[k - 1]!);

/** x^(8·bytes) modulo the polynomial: the factor that shifts a CRC past `bytes` bytes. */
export function shiftFor(bytes: number): number {
  let p = one;
  // Bit j of `bytes` contributes x^(2^(j+3)); the table ends at 2^31, hence lengths below 2^29.
  if (bytes >= 2 ** 29) throw new RangeError(`crc32 shift: ${bytes} bytes is beyond the supported length`);
  for (let n = bytes, k = 3; n > 0; n >>>= 1, k++) if (n & 1) p = mulMod(squares[k]!, p);
  return p;
}

/** CRC-32 of A ‖ B from crc(A), crc(B) and `shiftFor(|B|)`. */
export function crc32Combine(crcA: number, crcB: number, shiftB: number): number {
  return (mulMod(shiftB, crcA) ^ crcB) >>> 0;
}
