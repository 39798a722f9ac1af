import { createHash } from 'node:crypto';
import { z } from 'zod';
import { conceptIndex } from '../concept/load.ts';
import type { AppContext } from '../context.ts';
import { type CallStatus, callStatuses, sourceIds } from '../domain/enums.ts';
import { decimalNumber, wholeNumber } from '../domain/numbers.ts';
import { berlin, startOfDay } from '../domain/time.ts';
import { AppError } from '../errors.ts';
import { cached } from '../sql.ts';
import { type CallCard, getCallCards } from './cards.ts';
import type { CallFacts } from './index-rows.ts';
import {
  type CallMatchSummary,
  type CallSort,
  cachedOrder,
  callSorts,
  compareKeys,
  firstEntries,
  forgetOrders,
  idOf,
  keepOrder,
  keepSnapshot,
  type Order,
  type OrderedRow,
  rowOf,
  snapshotOf,
  sortedEntries,
  statusAt,
} from './order.ts';
import { callSearchIndex } from './search-index.ts';

export { type CallMatchSummary, type CallSort, callSorts, statusAt };

const dateOrInstant = z
  .string()
  .max(40)
  .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) || /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(v), {
    message: 'expected a date YYYY-MM-DD or an ISO 8601 instant',
  })
  .refine((v) => !Number.isNaN(Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v)), {
    message: 'not a real date',
  });

/** Comma-separated list of enum values in one query parameter (`status=open,forthcoming`). */
function csvEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .string()
    .max(200)
    .refine((v) => v.split(',').every((s) => (values as readonly string[]).includes(s.trim())), {
      message: `expected one or more of ${values.join(', ')}, separated by commas`,
    })
    .describe(`one or more of ${values.join(', ')}, comma-separated`);
}

/**
 * The filters of the calls list, shared by `GET /api/calls` and every export of the same list
 * (CSV, feeds). All optional; values arrive as query-string text.
 */
export const callQuerySchema = z.object({
  q: z.string().max(500).optional().describe('Volltextsuche / full-text search (German or English)'),
  source: csvEnum(sourceIds).optional(),
  programme: z.string().max(200).optional().describe('part of the programme name, e.g. CERV'),
  status: csvEnum(callStatuses).optional().describe('computed from the dates at request time'),
  deadlineFrom: dateOrInstant.optional().describe('a deadline on or after (dates are Europe/Berlin days)'),
  deadlineTo: dateOrInstant.optional().describe('a deadline on or before (dates are Europe/Berlin days)'),
  actionField: z.string().max(100).optional().describe('matches this action field (key)'),
  measure: z.string().max(100).optional().describe('matches this measure (id)'),
  minScore: decimalNumber(0, 100).optional(),
  eligibleOnly: z.enum(['true', 'false']).optional(),
  sort: z.enum(callSorts).optional().describe('default: relevance with q, else deadline'),
  cursor: z.string().max(500).optional(),
  limit: wholeNumber(1, 100).optional(),
});
export type CallQueryInput = z.infer<typeof callQuerySchema>;

export interface CallListItem {
  /** The list fields of the call; `getCall` reads the whole record. */
  call: CallCard;
  /** Status from the dates at query time. */
  status: CallStatus;
  /** Earliest deadline still ahead, as an instant in ms; null when none is ahead. */
  upcomingDeadline: number | null;
  relevance: number | null;
  /** Best match among the requested targets (or over all targets when only a score is asked). */
  match: CallMatchSummary | null;
}

export interface CallQueryResult {
  items: CallListItem[];
  /** Opaque cursor of the next page, or null on the last page. */
  next: string | null;
  total: number;
}

function upcoming(f: CallFacts, now: number): number | null {
  return f.deadlines.find((d) => d >= now) ?? null;
}

function boundary(v: string, end: boolean): number {
  if (v.length === 10) return end ? startOfDay(v, berlin) + 86_400_000 - 1 : startOfDay(v, berlin);
  return Date.parse(v);
}

interface Cursor {
  /** Sort key of the last item (null = +∞, e.g. no upcoming deadline). */
  k: number | string | null;
  id: string;
  /** Hash of sort and filters, so a cursor is only used with the query that made it. */
  h: string;
  /** Relevance order snapshot and position in it (see `keepSnapshot`). */
  s?: string | undefined;
  o?: number | undefined;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(raw: string, hash: string): Cursor {
  const fail = (why: string) =>
    new AppError('VALIDATION_FAILED', `Ungültiger Cursor / invalid cursor: ${why}`, {
      details: [{ path: 'querystring.cursor', message: why }],
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw fail('not a cursor of this API');
  }
  const c = z
    .object({
      k: z.union([z.number(), z.string(), z.null()]),
      id: z.string(),
      h: z.string(),
      s: z.string().max(40).optional(),
      o: z.number().int().min(0).optional(),
    })
    .safeParse(parsed);
  if (!c.success) throw fail('not a cursor of this API');
  if (c.data.h !== hash) throw fail('the cursor belongs to a different query (filters or sort changed)');
  return c.data;
}

/** Reads the match scores the filters ask for: call id → best match among the targets. */
function matchFilter(ctx: AppContext, input: CallQueryInput): Map<string, CallMatchSummary> | null {
  const targets = [input.actionField, input.measure].filter((t): t is string => !!t);
  const eligibleOnly = input.eligibleOnly === 'true';
  if (targets.length === 0 && input.minScore === undefined && !eligibleOnly) return null;

  const index = conceptIndex(ctx.concept.concept);
  if (input.actionField && !index.fields.has(input.actionField)) {
    throw new AppError('VALIDATION_FAILED', `Unknown action field "${input.actionField}"`, {
      details: [{ path: 'querystring.actionField', message: 'no such action field' }],
    });
  }
  if (input.measure && !index.measures.has(input.measure)) {
    throw new AppError('VALIDATION_FAILED', `Unknown measure "${input.measure}"`, {
      details: [{ path: 'querystring.measure', message: 'no such measure' }],
    });
  }

  const eligibilitySql = eligibleOnly ? `eligibility = 'eligible'` : `eligibility != 'excluded'`;
  const min = input.minScore ?? 0;
  const rowsFor = (target: string | null) =>
    cached(
      ctx.dbh.sqlite,
      `select call_id as callId, target, score, eligibility, reason from matches
         where ${target ? 'target = ? and' : ''} score >= ? and score > 0 and ${eligibilitySql}`,
    ).all(...(target ? [target, min] : [min])) as Array<CallMatchSummary & { callId: string }>;

  const best = (rows: Array<CallMatchSummary & { callId: string }>) => {
    const m = new Map<string, CallMatchSummary>();
    for (const { callId, ...r } of rows) {
      const have = m.get(callId);
      if (!have || r.score > have.score) m.set(callId, r);
    }
    return m;
  };
  if (targets.length === 0) return best(rowsFor(null));
  const perTarget = targets.map((t) => best(rowsFor(t)));
  const [first, ...rest] = perTarget;
  const out = new Map<string, CallMatchSummary>();
  for (const [id, m] of first!) {
    if (rest.every((r) => r.has(id))) {
      const candidates = [m, ...rest.map((r) => r.get(id)!)];
      out.set(
        id,
        candidates.reduce((a, b) => (b.score > a.score ? b : a)),
      );
    }
  }
  return out;
}

/** Forgets cached list orders and search results (benchmarks measure the uncached path with it). */
export function clearQueryCaches(ctx: AppContext): void {
  forgetOrders(ctx);
  callSearchIndex(ctx).clearCache();
}

/**
 * The calls list: full-text search, filters, sorting and keyset pagination over all stored
 * calls. Status is computed from the dates at `now`, never taken from the stored row.
 *
 * Pagination is by cursor (sort key + id of the last item), so inserts between two page
 * requests neither repeat nor skip a call that was already in the list.
 */
export function queryCalls(
  ctx: AppContext,
  input: CallQueryInput,
  options: { now?: Date; maxLimit?: number } = {},
): CallQueryResult {
  const now = (options.now ?? new Date()).getTime();
  const limit = Math.min(input.limit ?? 20, options.maxLimit ?? 100);
  const q = input.q?.trim() ? input.q.trim() : undefined;
  const sort: CallSort = input.sort ?? (q ? 'relevance' : 'deadline');
  const { cursor: _c, limit: _l, ...filters } = input;
  const hash = createHash('sha256')
    .update(JSON.stringify({ ...filters, sort }))
    .digest('base64url')
    .slice(0, 16);
  const after = input.cursor ? decodeCursor(input.cursor, hash) : undefined;

  const index = callSearchIndex(ctx);
  const table = index.slots;
  // The filtered, sorted list is kept for repeated queries and later pages until data changes
  // (any write, or another process committing) or the minute turns (statuses follow the clock).
  const orderKey = `${hash}|${index.dataVersion}|${Math.floor(now / 60_000)}`;
  const build = () => {
    const hits = q ? index.hits(q) : null;
    const matches = matchFilter(ctx, input);
    const sources = input.source ? new Set(input.source.split(',').map((s) => s.trim())) : null;
    const statuses = input.status ? new Set(input.status.split(',').map((s) => s.trim())) : null;
    const programme = input.programme?.trim().toLowerCase();
    const from = input.deadlineFrom ? boundary(input.deadlineFrom, false) : null;
    const to = input.deadlineTo ? boundary(input.deadlineTo, true) : null;

    if (
      hits &&
      sort === 'relevance' &&
      !matches &&
      !sources &&
      !statuses &&
      !programme &&
      from === null &&
      to === null
    ) {
      // The search box alone: the hits are the list (shared with the search cache, never changed).
      return {
        slots: hits.slots,
        table,
        epoch: table.epoch,
        keys: hits.scores,
        relevance: hits.scores,
        statuses: null,
        sorted: null,
        sort,
        matches,
        at: now,
      } satisfies Order;
    }
    const slots: number[] = [];
    const numeric: number[] = [];
    const text: string[] = [];
    const relevance: number[] | null = hits ? [] : null;
    const statusList: CallStatus[] | null = statuses ? [] : null;
    const n = hits ? hits.slots.length : table.facts.length;
    for (let i = 0; i < n; i++) {
      const slot = hits ? hits.slots[i]! : i;
      const f = table.facts[slot];
      if (!f) continue;
      if (sources && !sources.has(f.source)) continue;
      if (programme && !f.programme?.toLowerCase().includes(programme)) continue;
      if (matches && !matches.has(f.id)) continue;
      if (statuses) {
        const status = statusAt(f, now);
        if (!statuses.has(status)) continue;
        statusList!.push(status);
      }
      if (
        (from !== null || to !== null) &&
        !f.deadlines.some((d) => (from ?? -Infinity) <= d && d <= (to ?? Infinity))
      )
        continue;
      slots.push(slot);
      const score = hits ? hits.scores[i]! : 0;
      relevance?.push(score);
      if (sort === 'relevance') numeric.push(score);
      else if (sort === 'deadline') numeric.push(upcoming(f, now) ?? Infinity);
      else text.push(f.firstSeenAt);
    }
    const order: Order = {
      slots: Int32Array.from(slots),
      table,
      epoch: table.epoch,
      keys: sort === 'newest' ? text : new Float64Array(numeric),
      relevance: relevance ? new Float64Array(relevance) : null,
      statuses: statusList,
      sorted: null,
      sort,
      matches,
      at: now,
    };
    return order;
  };
  const order = cachedOrder(ctx, orderKey) ?? keepOrder(ctx, orderKey, build());
  const { matches } = order;
  const total = order.slots.length;

  let page: OrderedRow[];
  let hasMore: boolean;
  let snapshot: string | undefined;
  let offset = 0;
  const snap = after?.s ? snapshotOf(after.s, now) : undefined;
  // A snapshot whose slots were given to other calls since cannot name its calls: keyset instead.
  if (snap && after?.o !== undefined && snap.order.epoch === snap.order.table.epoch) {
    // Later page of a relevance query: the order of the first page, re-checked against the filters.
    const inList = new Map(Array.from(order.slots, (slot, e) => [table.ids[slot]!, e]));
    offset = after.o;
    const snapEntries = sortedEntries(snap.order);
    page = Array.from(snapEntries.subarray(offset, offset + limit), (e) => inList.get(idOf(snap.order, e)))
      .filter((e): e is number => e !== undefined)
      .map((e) => rowOf(order, e));
    hasMore = offset + limit < snapEntries.length;
    snapshot = after.s;
  } else if (!after) {
    page = firstEntries(order, limit).map((e) => rowOf(order, e));
    hasMore = limit < total;
    if (sort === 'relevance' && hasMore) {
      // The order as of this first page (its scores) is what later pages follow.
      if (!order.snapshot || !snapshotOf(order.snapshot, now)) order.snapshot = keepSnapshot(order, now);
      snapshot = order.snapshot;
    }
  } else {
    const entries = sortedEntries(order);
    const { keys } = order;
    const afterKey = after.k === null && sort === 'deadline' ? Infinity : after.k;
    const startAt = entries.findIndex(
      (e) => compareKeys(sort, keys[e]!, idOf(order, e), afterKey, after.id) > 0,
    );
    page = startAt < 0 ? [] : Array.from(entries.subarray(startAt, startAt + limit), (e) => rowOf(order, e));
    hasMore = startAt >= 0 && startAt + limit < entries.length;
  }
  const nextOffset = offset + limit;

  const full = new Map(
    getCallCards(
      ctx.dbh.sqlite,
      page.map((r) => r.id),
    ).map((c) => [c.id, c]),
  );
  const items: CallListItem[] = page
    .filter((r) => full.has(r.id))
    .map((r) => ({
      call: full.get(r.id)!,
      status: r.status,
      upcomingDeadline: upcoming(r.f, now),
      relevance: r.relevance,
      match: matches?.get(r.id) ?? null,
    }));
  const last = page.at(-1);
  return {
    items,
    next:
      hasMore && last
        ? encodeCursor({
            k: last.key,
            id: last.id,
            h: hash,
            ...(snapshot ? { s: snapshot, o: nextOffset } : {}),
          })
        : null,
    total,
  };
}
