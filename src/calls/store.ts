import { createHash } from 'node:crypto';
import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { callChanges, callDeadlines, calls } from '../../db/schema/index.ts';
import { type Call, callSchema, isHttpUrl, nextDeadline } from '../domain/call.ts';
import { insertParams, json, statementsFor } from './store-statements.ts';

export {
  getCallChanges,
  getCrawlState,
  markDelisted,
  setListFingerprint,
  touchCall,
} from './crawl-state.ts';

export type UpsertOutcome = 'new' | 'changed' | 'unchanged';

/**
 * Fields whose changes are recorded in the history (and so reach the digest's "changed"
 * section). Provenance and the raw record change on every fetch and are not history.
 */
export const trackedFields = [
  'title',
  'summary',
  'description',
  'programme',
  'identifier',
  'funder',
  'url',
  'openingDate',
  'deadlines',
  'status',
  'budget',
  'fundingRate',
  'applicantTypes',
  'countries',
  'nuts',
  'keywords',
  'notices',
] as const satisfies readonly (keyof Call)[];

/** Stable JSON (sorted keys) so hashes and comparisons do not depend on key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

/** Hash of what a user would see of a call; equal hash = nothing changed. */
export function contentHash(call: Pick<Call, (typeof trackedFields)[number]>): string {
  const picked = Object.fromEntries(trackedFields.map((f) => [f, call[f] ?? null]));
  return createHash('sha256').update(stableJson(picked)).digest('hex');
}

function rowToCall(row: typeof calls.$inferSelect, deadlines: (typeof callDeadlines.$inferSelect)[]): Call {
  return callSchema.parse({
    id: row.id,
    source: row.source,
    sourceId: row.sourceId,
    funder: row.funder ?? undefined,
    operator: row.operator ?? undefined,
    programme: row.programme ?? undefined,
    identifier: row.identifier ?? undefined,
    title: row.title,
    summary: row.summary,
    description: row.description,
    descriptionHtml: row.descriptionHtml ?? undefined,
    // Rows written before links were checked may hold another scheme: never hand one out.
    url: row.url && isHttpUrl(row.url) ? row.url : undefined,
    language: row.language,
    openingDate: row.openingDate ?? undefined,
    deadlines: deadlines.map((d) => ({
      at: d.at,
      timeZone: d.timeZone,
      raw: d.raw,
      stage: d.stage,
      ...(d.label ? { label: d.label } : {}),
    })),
    status: row.status,
    sourceStatus: row.sourceStatus ?? undefined,
    budget: row.budget ?? undefined,
    fundingRate: row.fundingRate ?? undefined,
    applicantTypes: row.applicantTypes,
    applicantsText: row.applicantsText ?? undefined,
    countries: row.countries,
    nuts: row.nuts,
    keywords: row.keywords,
    notices: row.notices,
    provenance: {
      fetchedAt: row.fetchedAt,
      sourceUrl: row.sourceUrl,
      contentHash: row.contentHash,
      ...(row.attribution ? { attribution: row.attribution } : {}),
    },
    raw: row.raw ?? undefined,
  });
}

export interface StoredCall extends Call {
  firstSeenAt: string;
  lastSeenAt: string;
  delistedAt: string | null;
}

/** Reads calls with their deadlines (in order). */
export function getCalls(db: Db, ids?: readonly string[]): StoredCall[] {
  const rows = ids
    ? db
        .select()
        .from(calls)
        .where(inArray(calls.id, [...ids]))
        .all()
    : db.select().from(calls).all();
  const dls = ids
    ? db
        .select()
        .from(callDeadlines)
        .where(inArray(callDeadlines.callId, [...ids]))
        .orderBy(asc(callDeadlines.position))
        .all()
    : db.select().from(callDeadlines).orderBy(asc(callDeadlines.position)).all();
  const byCall = new Map<string, (typeof callDeadlines.$inferSelect)[]>();
  for (const d of dls) {
    const list = byCall.get(d.callId) ?? [];
    list.push(d);
    byCall.set(d.callId, list);
  }
  return rows.map((r) => ({
    ...rowToCall(r, byCall.get(r.id) ?? []),
    firstSeenAt: r.firstSeenAt,
    lastSeenAt: r.lastSeenAt,
    delistedAt: r.delistedAt,
  }));
}

export function getCall(db: Db, id: string): StoredCall | undefined {
  return getCalls(db, [id])[0];
}

export interface UpsertOptions {
  now?: Date;
  crawlRunId?: number | null;
  /** Told about what was dropped on the way in (a link that is not http(s)). */
  onWarning?: (message: string) => void;
}

/**
 * Inserts or updates one call by its stable id. Compares the tracked fields with the stored
 * row and writes one history entry per changed field (old → new). Synchronous on purpose:
 * callers may wrap many upserts in one better-sqlite3 transaction.
 */
export function upsertCall(db: Db, input: Call, options: UpsertOptions = {}): UpsertOutcome {
  const call = callSchema.parse(input);
  // Every call enters the database here: a crawled link that is not http(s) (javascript:, data:)
  // is dropped, not stored; the call itself is still worth having.
  if (call.url !== undefined && !isHttpUrl(call.url)) {
    options.onWarning?.(
      `${call.id}: link dropped, not an http(s) URL: ${JSON.stringify(call.url.slice(0, 100))}`,
    );
    delete call.url;
  }
  const now = (options.now ?? new Date()).toISOString();
  const hash = contentHash(call);
  const st = statementsFor(db);
  const next = nextDeadline(call.deadlines, options.now ?? new Date());

  const columns = {
    source: call.source,
    sourceId: call.sourceId,
    funder: call.funder ?? null,
    operator: call.operator ?? null,
    programme: call.programme ?? null,
    identifier: call.identifier ?? null,
    title: call.title,
    summary: call.summary,
    description: call.description,
    descriptionHtml: call.descriptionHtml ?? null,
    url: call.url ?? null,
    language: call.language,
    openingDate: call.openingDate ?? null,
    status: call.status,
    sourceStatus: call.sourceStatus ?? null,
    nextDeadline: next?.at ?? null,
    budget: call.budget ?? null,
    fundingRate: call.fundingRate ?? null,
    applicantTypes: call.applicantTypes,
    applicantsText: call.applicantsText ?? null,
    countries: call.countries,
    nuts: call.nuts,
    keywords: call.keywords,
    notices: call.notices,
    fetchedAt: call.provenance.fetchedAt,
    sourceUrl: call.provenance.sourceUrl,
    contentHash: hash,
    attribution: call.provenance.attribution ?? null,
    raw: call.raw ?? null,
    lastSeenAt: now,
    updatedAt: now,
    delistedAt: null,
  };

  // A better-sqlite3 transaction: a savepoint inside the caller's transaction, with cached statements.
  return st.sqlite.transaction((): UpsertOutcome => {
    const writeDeadlines = () => {
      st.deleteDeadlines.run(call.id);
      call.deadlines.forEach((d, position) => {
        st.insertDeadline.run(call.id, position, d.at, d.timeZone, d.raw, d.stage, d.label ?? null);
      });
    };

    // Only the stored hash decides the path; the full row is read only for a real change.
    const stored = st.storedHash.get(call.id) as { content_hash: string } | undefined;
    if (!stored) {
      st.insertCall.run(...insertParams(call.id, columns, now));
      st.queueMatch.run(call.id, hash);
      writeDeadlines();
      return 'new';
    }

    if (stored.content_hash === hash) {
      // Seen again: refresh provenance and "last seen", and re-list a call that had dropped out.
      st.touchUnchanged.run(
        now,
        columns.fetchedAt,
        columns.sourceUrl,
        json(columns.raw),
        columns.nextDeadline,
        call.id,
      );
      return 'unchanged';
    }

    const existing = getCall(db, call.id)!;
    for (const field of trackedFields) {
      const before = existing[field] ?? null;
      const after = call[field] ?? null;
      if (stableJson(before) !== stableJson(after)) {
        db.insert(callChanges)
          .values({
            callId: call.id,
            crawlRunId: options.crawlRunId ?? null,
            changedAt: now,
            field,
            oldValue: before,
            newValue: after,
          })
          .run();
      }
    }
    db.update(calls).set(columns).where(eq(calls.id, call.id)).run();
    st.queueMatch.run(call.id, hash);
    writeDeadlines();
    return 'changed';
  })();
}
