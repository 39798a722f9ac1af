import { describe, expect, it } from 'vitest';
import { keptBytes, ownBytes } from '../../src/calls/kept-bytes.ts';

describe('kept bytes', () => {
  it('are the UTF-8 bytes of the text, packed side by side in one chunk outside the shared pool', () => {
    const a = keptBytes('{"title":"Städtepartnerschaft 😀"}');
    const b = keptBytes(',"href":"/calls/x"}');
    expect(a.toString()).toBe('{"title":"Städtepartnerschaft 😀"}');
    expect(b.toString()).toBe(',"href":"/calls/x"}');
    expect(b.buffer).toBe(a.buffer);
    expect(b.byteOffset).toBe(a.byteOffset + a.length);
    // Not a slab of Node's pool, which per-request buffers share.
    expect(a.buffer).not.toBe(Buffer.from('x').buffer);
    expect(a.buffer.byteLength).toBe(64 * 1024);
  });

  it('start a new chunk when one is full and give long texts memory of their own size', () => {
    const first = keptBytes('x'.repeat(5000));
    let last = first;
    for (let i = 0; i < 20; i++) last = keptBytes('y'.repeat(5000));
    expect(last.buffer).not.toBe(first.buffer);
    expect(last.toString()).toBe('y'.repeat(5000));
    const long = keptBytes('z'.repeat(20_000));
    expect(long.buffer.byteLength).toBe(20_000);
  });

  it('give texts replaced while their card lives a buffer of exactly their size', () => {
    const b = ownBytes('{"at":"2027-01-15T17:00:00+01:00","berlin":"15.01.2027, 17:00"}');
    expect(b.toString()).toBe('{"at":"2027-01-15T17:00:00+01:00","berlin":"15.01.2027, 17:00"}');
    expect(b.buffer.byteLength).toBe(b.length);
    expect(ownBytes('').length).toBe(0);
  });
});
