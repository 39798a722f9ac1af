/**
 * The last `capacity` values by string key, the oldest overwritten first: what a request keeps
 * for the next ones (search results, list orders, relevance snapshots).
 *
 * Two plain arrays and a scan rather than a `Map`: in a JS Map whose keys come and go on every
 * request (each new query adds one and drops the oldest), entries outlived young garbage
 * collections; a loop keeping 32 results that way caused ~90 full mark-compacts in 5 s, the same
 * loop writing into fixed slots none (an overwritten value is young garbage). Lookups scan at
 * most `capacity` keys, newest first: a few dozen string comparisons.
 */
export class RecentCache<V> {
  private readonly keys: (string | undefined)[];
  private readonly values: (V | undefined)[];
  /** Slot the next new key is written to (the oldest one). */
  private next = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be ≥ 1 (got ${capacity})`);
    this.keys = new Array<string | undefined>(capacity).fill(undefined);
    this.values = new Array<V | undefined>(capacity).fill(undefined);
  }

  private slotOf(key: string): number {
    const { capacity, keys } = this;
    for (let n = 1; n <= capacity; n++) {
      const i = (this.next - n + capacity) % capacity;
      if (keys[i] === key) return i;
    }
    return -1;
  }

  get(key: string): V | undefined {
    const i = this.slotOf(key);
    return i < 0 ? undefined : this.values[i];
  }

  has(key: string): boolean {
    return this.slotOf(key) >= 0;
  }

  /** Stores `value` under `key`: in its slot when the key is kept, else over the oldest entry. */
  set(key: string, value: V): V {
    let i = this.slotOf(key);
    if (i < 0) {
      i = this.next;
      this.next = (this.next + 1) % this.capacity;
      this.keys[i] = key;
    }
    this.values[i] = value;
    return value;
  }

  delete(key: string): boolean {
    const i = this.slotOf(key);
    if (i < 0) return false;
    this.keys[i] = undefined;
    this.values[i] = undefined;
    return true;
  }

  clear(): void {
    this.keys.fill(undefined);
    this.values.fill(undefined);
    this.next = 0;
  }

  /** How many keys are kept. */
  get size(): number {
    let n = 0;
    for (const k of this.keys) if (k !== undefined) n++;
    return n;
  }
}

/**
 * How many recent queries' search results, list orders and relevance snapshots are kept. Few on
 * purpose: a search result of common words is tens of kilobytes, and what is kept over a few
 * hundred requests outlives two young collections and is promoted, to be freed only by a full
 * mark-compact. Under a stream of new queries (bench: 3,000 distinct, 50 connections) keeping
 * 128–256 meant ~35 mark-compacts in 30 s and p99 60–85 ms; keeping 32, 4–7 and p99 28–35 ms.
 * A city's few users page and repeat within far fewer queries, and repeated requests are
 * answered by the response cache before any of this.
 */
export const recentQueries = 32;
