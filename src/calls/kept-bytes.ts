/**
 * UTF-8 bytes kept for a long time, outside Node's shared 8 kB pool. `Buffer.from` takes small
 * buffers from that pool, which per-request buffers use too: a kept 300-byte text then pins a
 * slab that is otherwise garbage (measured: 8.7 MB of card texts held 25.8 MB of slabs).
 *
 * `keptBytes` packs texts that live exactly as long as their card (head, mid, tail) into shared
 * chunks: cards are dropped all at once (the card cache is emptied when the data changes), so
 * their chunks die together. Texts replaced while their card lives (the deadline JSON, daily)
 * take `ownBytes`, so what they leave behind is freed, not kept inside a chunk.
 */

const chunkSize = 64 * 1024;
/** Texts above this get a buffer of their own instead of wasting the rest of a chunk. */
const ownAbove = chunkSize / 8;

let chunk = Buffer.allocUnsafeSlow(0);
let used = 0;

/** `n` bytes of kept memory, to be filled by the caller. */
function room(n: number): Buffer {
  if (n > ownAbove) return Buffer.allocUnsafeSlow(n);
  if (used + n > chunk.length) {
    chunk = Buffer.allocUnsafeSlow(chunkSize);
    used = 0;
  }
  const out = chunk.subarray(used, used + n);
  used += n;
  return out;
}

/** The UTF-8 bytes of `text`, in memory shared only with other kept bytes. */
export function keptBytes(text: string): Buffer {
  const out = room(Buffer.byteLength(text));
  out.write(text);
  return out;
}

/** The UTF-8 bytes of `text` in a buffer of exactly their size. */
export function ownBytes(text: string): Buffer {
  const out = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  out.write(text);
  return out;
}
