import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context.ts';
import type { CallStatus, eligibilities } from '../domain/enums.ts';
import type { CallFacts } from './index-rows.ts';
import { RecentCache, recentQueries } from './recent-cache.ts';
import type { SlotTable } from './search-index.ts';

/**
 * A filtered, sorted calls list as `queryCalls` keeps it between requests (per data generation
 * and minute), and the relevance snapshots later pages follow.
 */

export const callSorts = ['relevance', 'deadline', 'newest'] as const;
export type CallSort = (typeof callSorts)[number];

export interface CallMatchSummary {
  target: string;
  score: number;
  eligibility: (typeof eligibilities)[number];
  reason: string;
}

export function statusAt(
  f: Pick<CallFacts, 'openingAt' | 'deadlines'> & { archivedAt?: number | null },
  now: number,
): CallStatus {
  if (f.openingAt !== null && f.openingAt > now) return 'forthcoming';
  // Without deadlines: open-ended, unless its programme period or title year is long past.
  if (f.deadlines.length === 0) return f.archivedAt != null && f.archivedAt <= now ? 'closed' : 'open-ended';
  return f.deadlines.some((d) => d >= now) ? 'open' : 'closed';
}

export type Key = number | string | null;
/** A listed call of a page. */
export type OrderedRow = { f: CallFacts; id: string; key: Key; relevance: number | null; status: CallStatus };

/**
 * A filtered list, kept between requests. Columnar and typed (index slots, not objects per
 * call): a search for common words lists thousands of calls, orders and search results are kept
 * for later pages, and arrays of pointers that outlive a request were what made every young
 * garbage collection copy megabytes (their pauses were the long tail of search latency).
 */
export interface Order {
  /** Index slot of each entry. */
  slots: Int32Array;
  table: SlotTable;
  /** `table.epoch` when the order was built. */
  epoch: number;
  /** Sort key per entry: relevance, upcoming deadline (+∞ when none ahead) or first-seen time. */
  keys: Float64Array | string[];
  relevance: Float64Array | null;
  /** Status per entry when a status filter computed it (else computed for the page). */
  statuses: CallStatus[] | null;
  /** Entry indexes in list order, made when a page beyond the first needs them. */
  sorted: Int32Array | null;
  sort: CallSort;
  /** Relevance snapshot id of this order, made once when a first page is served. */
  snapshot?: string;
  matches: Map<string, CallMatchSummary> | null;
  /** When the order was built (statuses are as of then). */
  at: number;
}

/** The call id of an entry (also for an order whose calls have left the index since). */
export function idOf(order: Order, e: number): string {
  return order.table.ids[order.slots[e]!]!;
}

/**
 * Relevance and newest descending, deadline ascending with "none ahead" (+∞) last; id breaks ties.
 */
export function compareKeys(sort: CallSort, ka: Key, ia: string, kb: Key, ib: string): number {
  if (ka !== kb) {
    if (sort === 'relevance') return (kb as number) - (ka as number);
    if (sort === 'deadline') {
      const x = ka === null ? Infinity : (ka as number);
      const y = kb === null ? Infinity : (kb as number);
      if (x !== y) return x < y ? -1 : 1;
    } else return (ka as string) < (kb as string) ? 1 : -1;
  }
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

function entryComparator(order: Order): (a: number, b: number) => number {
  const { keys, sort } = order;
  return (a, b) => compareKeys(sort, keys[a]!, idOf(order, a), keys[b]!, idOf(order, b));
}

/** The entry indexes of an order in list order (sorted once). */
export function sortedEntries(order: Order): Int32Array {
  if (!order.sorted) {
    const idx = new Int32Array(order.slots.length);
    for (let i = 0; i < idx.length; i++) idx[i] = i;
    order.sorted = idx.sort(entryComparator(order));
  }
  return order.sorted;
}

/**
 * The first `k` entries in list order without sorting them all: a search for common words finds
 * thousands of calls, and the first page needs only the best 20 of them.
 */
export function firstEntries(order: Order, k: number): number[] {
  const n = order.slots.length;
  if (order.sorted || n <= 4 * k) return Array.from(sortedEntries(order).subarray(0, k));
  const cmp = entryComparator(order);
  const keys = order.keys;
  // Numeric keys (relevance, deadline): most entries lose to the current k-th on the key alone,
  // so they are passed over with one typed-array read instead of a comparator call.
  const sign = order.sort === 'relevance' ? -1 : 1;
  const numeric = keys instanceof Float64Array ? keys : null;
  const top: number[] = [];
  let worst = Infinity;
  for (let e = 0; e < n; e++) {
    if (top.length === k) {
      if (numeric && sign * numeric[e]! > worst) continue;
      if (cmp(e, top[k - 1]!) >= 0) continue;
    }
    let i = top.length === k ? k - 1 : top.length;
    while (i > 0 && cmp(e, top[i - 1]!) < 0) {
      top[i] = top[i - 1]!;
      i--;
    }
    top[i] = e;
    if (numeric && top.length === k) worst = sign * numeric[top[k - 1]!]!;
  }
  return top;
}

/** A row of the page; only for an order of the current index state (its slots' facts are current). */
export function rowOf(order: Order, e: number): OrderedRow {
  const f = order.table.facts[order.slots[e]!]!;
  const key = order.keys[e]!;
  return {
    f,
    id: f.id,
    key: key === Infinity ? null : key,
    relevance: order.relevance ? order.relevance[e]! : null,
    status: order.statuses ? order.statuses[e]! : statusAt(f, order.at),
  };
}

const orders = new WeakMap<AppContext['dbh'], RecentCache<Order>>();

/** Forgets the kept orders of a database (benchmarks measure the uncached path with it). */
export function forgetOrders(ctx: AppContext): void {
  orders.get(ctx.dbh)?.clear();
}

export function cachedOrder(ctx: AppContext, key: string): Order | undefined {
  return orders.get(ctx.dbh)?.get(key);
}

export function keepOrder(ctx: AppContext, key: string, order: Order): Order {
  let byKey = orders.get(ctx.dbh);
  if (!byKey) {
    byKey = new RecentCache(recentQueries);
    orders.set(ctx.dbh, byKey);
  }
  return byKey.set(key, order);
}

/**
 * Relevance scores move when calls are added (BM25 statistics change), so a keyset on the
 * score alone could repeat or skip calls between pages. The first page of a relevance query
 * therefore keeps its full order for a while; later pages read from it. When a snapshot has
 * expired the keyset on (score, id) is the fallback.
 */
interface Snapshot {
  /** The order of the first page (its rows and scores do not change; sorted when a later page asks). */
  order: Order;
  at: number;
}
const snapshots = new RecentCache<Snapshot>(recentQueries);
const snapshotTtlMs = 30 * 60_000;
// Ids unique across restarts (a cursor may outlive the process) without drawing random bytes per
// search: a random prefix per process and a counter.
const snapshotPrefix = randomBytes(6).toString('base64url');
let snapshotCount = 0;

export function keepSnapshot(order: Order, now: number): string {
  const id = `${snapshotPrefix}${(++snapshotCount).toString(36)}`;
  snapshots.set(id, { order, at: now });
  return id;
}

/** The snapshot of a cursor while it is kept and younger than 30 minutes. */
export function snapshotOf(id: string, now: number): Snapshot | undefined {
  const snap = snapshots.get(id);
  return snap && now - snap.at < snapshotTtlMs ? snap : undefined;
}
