import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { callChanges, callDeadlines, calls } from '../../db/schema/index.ts';
import { type Call, callSchema, isHttpUrl, nextDeadline } from '../domain/call.ts';

export type UpsertOutcome = 'new' | 'changed' | 'unchanged';

/**
 * Fields whose changes are recorded in the history (and so reach the digest's "changed"
 * section). Provenance and the raw record change on every fetch and are not history.
 */
const trackedFields = [
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
    db.update(calls)
      .set({ ...columns, needsMatch: true })
      .where(eq(calls.id, call.id))
      .run();
    writeDeadlines();
    return 'changed';
  })();
}

/** A JSON column's value as drizzle writes it (`mode: 'json'`): null stays NULL. */
function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** The insert's parameters in the column order of `insertCallSql`. */
function insertParams(id: string, c: Record<string, unknown> & { raw: unknown }, now: string): unknown[] {
  return [
    id,
    c.source,
    c.sourceId,
    c.funder,
    c.operator,
    c.programme,
    c.identifier,
    c.title,
    c.summary,
    c.description,
    c.descriptionHtml,
    c.url,
    c.language,
    c.openingDate,
    c.status,
    c.sourceStatus,
    c.nextDeadline,
    json(c.budget),
    c.fundingRate,
    json(c.applicantTypes),
    c.applicantsText,
    json(c.countries),
    json(c.nuts),
    json(c.keywords),
    json(c.notices),
    c.fetchedAt,
    c.sourceUrl,
    c.contentHash,
    c.attribution,
    json(c.raw),
    now,
    c.lastSeenAt,
    c.updatedAt,
  ];
}

const insertCallSql = `INSERT INTO calls (id, source, source_id, funder, operator, programme, identifier, title,
  summary, description, description_html, url, language, opening_date, status, source_status, next_deadline,
  budget, funding_rate, applicant_types, applicants_text, countries, nuts, keywords, notices, fetched_at,
  source_url, content_hash, attribution, raw, first_seen_at, last_seen_at, updated_at, delisted_at, needs_match)
  VALUES (${Array(33).fill('?').join(', ')}, NULL, 1)`;

/**
 * The statements of the hot paths (a new or unchanged call), prepared once per connection:
 * building and preparing them through drizzle per call cost more than the writes themselves.
 */
function makeStatements(sqlite: Database.Database) {
  return {
    sqlite,
    storedHash: sqlite.prepare('SELECT content_hash FROM calls WHERE id = ?'),
    insertCall: sqlite.prepare(insertCallSql),
    touchUnchanged: sqlite.prepare(
      `UPDATE calls SET last_seen_at = ?, fetched_at = ?, source_url = ?, raw = ?, delisted_at = NULL,
       next_deadline = ? WHERE id = ?`,
    ),
    deleteDeadlines: sqlite.prepare('DELETE FROM call_deadlines WHERE call_id = ?'),
    insertDeadline: sqlite.prepare(
      'INSERT INTO call_deadlines (call_id, position, at, time_zone, raw, stage, label) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
  };
}

const statementCache = new WeakMap<Database.Database, ReturnType<typeof makeStatements>>();

/** The connection behind a drizzle database or transaction (a transaction shares its session). */
function statementsFor(db: Db) {
  const sqlite =
    (db as { $client?: Database.Database }).$client ??
    (db as unknown as { session: { client: Database.Database } }).session.client;
  let st = statementCache.get(sqlite);
  if (!st) {
    st = makeStatements(sqlite);
    statementCache.set(sqlite, st);
  }
  return st;
}

export function getCallChanges(db: Db, callId: string) {
  return db
    .select()
    .from(callChanges)
    .where(eq(callChanges.callId, callId))
    .orderBy(asc(callChanges.id))
    .all();
}

/** Crawl bookkeeping of one call: its listing fingerprint and when it was last fetched. */
export function getCrawlState(
  db: Db,
  id: string,
): { fingerprint: string | null; fetchedAt: string; delistedAt: string | null } | undefined {
  return db
    .select({ fingerprint: calls.listFingerprint, fetchedAt: calls.fetchedAt, delistedAt: calls.delistedAt })
    .from(calls)
    .where(eq(calls.id, id))
    .get();
}

/**
 * A call listed again without a fresh fetch: moves "last seen", re-lists it and stores the
 * fingerprint. Content (and so history) is untouched; see `upsertCall` for real changes.
 */
export function touchCall(
  db: Db,
  id: string,
  options: { now: Date; fingerprint?: string | undefined },
): void {
  db.update(calls)
    .set({
      lastSeenAt: options.now.toISOString(),
      delistedAt: null,
      ...(options.fingerprint !== undefined ? { listFingerprint: options.fingerprint } : {}),
    })
    .where(eq(calls.id, id))
    .run();
}

export function setListFingerprint(db: Db, id: string, fingerprint: string | null): void {
  db.update(calls).set({ listFingerprint: fingerprint }).where(eq(calls.id, id)).run();
}

/**
 * Marks every call of `source` that is not in `listedIds` as "no longer listed" (never deletes).
 * Only for complete, successful listings. Returns the ids newly marked.
 */
export function markDelisted(
  db: Db,
  source: Call['source'],
  listedIds: ReadonlySet<string>,
  now: Date,
): string[] {
  const candidates = db
    .select({ id: calls.id })
    .from(calls)
    .where(and(eq(calls.source, source), isNull(calls.delistedAt)))
    .all()
    .filter((r) => !listedIds.has(r.id))
    .map((r) => r.id);
  if (candidates.length === 0) return [];
  db.transaction((tx) => {
    for (const ids of chunk(candidates, 500)) {
      tx.update(calls)
        .set({ delistedAt: now.toISOString(), needsMatch: true })
        .where(inArray(calls.id, ids))
        .run();
    }
  });
  return candidates;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
