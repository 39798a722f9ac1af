import { constants, crc32, deflateRawSync } from 'node:zlib';
import { crc32Combine, shiftFor } from './crc32-combine.ts';

/**
 * A gzip member (RFC 1952) put together from pieces deflated once and kept, and bytes that
 * change per answer sent as stored blocks (RFC 1951, 3.2.4). The calls list is twenty cards of
 * mostly fixed text: each card's fixed part is deflated once (~15 µs) and reused by every answer
 * that lists it, so an answer costs a copy instead of compressing ~20 kB (a
 * compression engine per answer was a third of a search request's CPU under load). Pieces are
 * compressed apart, so an answer is larger than one compressed whole (~14 kB against ~2 kB with
 * brotli for a 20 kB page): CPU traded for bytes, which on a city's network cost nothing.
 */

const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
/** An empty final block with fixed codes: BFINAL=1, BTYPE=01, end-of-block. */
const lastBlock = Buffer.from([0x03, 0x00]);
const maxStored = 65_535;

/** A kept piece: its deflate blocks, and the CRC-32, length and CRC shift of its plain bytes. */
export interface DeflatedPiece {
  bytes: Buffer;
  crc: number;
  size: number;
  shift: number;
}

/**
 * `plain` as raw deflate blocks that end on a byte boundary and are not final (a sync flush),
 * so they can stand anywhere in a gzip member that `GzipPieces` writes.
 */
export function deflatePiece(plain: Buffer): DeflatedPiece {
  return {
    bytes: exactCopy(deflateRawSync(plain, { finishFlush: constants.Z_SYNC_FLUSH })),
    crc: crc32(plain),
    size: plain.length,
    shift: shiftFor(plain.length),
  };
}

/**
 * `b` in memory of its own size, for bytes that are kept. zlib's sync output is a view of a
 * 16 kB buffer, and small buffers are views of Node's shared 8 kB pool: kept as they are, a
 * 500-byte piece or a cached answer held all of it (the bench's server grew by ~90 MB).
 */
export function exactCopy(b: Buffer): Buffer {
  if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength) return b;
  const copy = Buffer.allocUnsafeSlow(b.length);
  b.copy(copy);
  return copy;
}

function storedHeader(len: number): Buffer {
  const h = Buffer.allocUnsafe(5);
  h[0] = 0; // BFINAL=0, BTYPE=00; the rest of the byte is padding to the boundary
  h.writeUInt16LE(len, 1);
  h.writeUInt16LE(~len & 0xffff, 3);
  return h;
}

export class GzipPieces {
  private readonly out: Buffer[] = [header];
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private crc = 0;
  private size = 0;

  /** Bytes sent as they are (gathered into stored blocks). */
  plain(b: Buffer): void {
    if (b.length === 0) return;
    this.pending.push(b);
    this.pendingBytes += b.length;
  }

  /** A piece made by `deflatePiece`; its checksum joins the answer's without reading its text. */
  deflated(piece: DeflatedPiece): void {
    this.flush();
    this.out.push(piece.bytes);
    this.crc = crc32Combine(this.crc, piece.crc, piece.shift);
    this.size += piece.size;
  }

  /** The whole member: header, blocks, final block, CRC-32 and length of the plain bytes. */
  end(): Buffer {
    this.flush();
    const trailer = Buffer.allocUnsafe(8);
    trailer.writeUInt32LE(this.crc >>> 0, 0);
    trailer.writeUInt32LE(this.size >>> 0, 4);
    this.out.push(lastBlock, trailer);
    return Buffer.concat(this.out);
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    // One buffer per run of plain bytes: one checksum call instead of one per small part (the
    // calls' overhead, not the bytes, was the cost).
    const run = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.crc = crc32(run, this.crc);
    this.size += run.length;
    // Runs over 65,535 bytes are rare (a page's own text is a few hundred bytes): cut into blocks.
    for (let at = 0; at < run.length; at += maxStored) {
      const block = at === 0 && run.length <= maxStored ? run : run.subarray(at, at + maxStored);
      this.out.push(storedHeader(block.length), block);
    }
    this.pending = [];
    this.pendingBytes = 0;
  }
}
