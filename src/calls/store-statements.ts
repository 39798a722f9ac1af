import type Database from 'better-sqlite3';
import type { Db } from '../../db/client.ts';

/** Prepared statements of the store's hot write paths (new and unchanged calls), per connection. */

/** A JSON column's value as drizzle writes it (`mode: 'json'`): null stays NULL. */
export function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** The insert's parameters in the column order of `insertCallSql`. */
export function insertParams(
  id: string,
  c: Record<string, unknown> & { raw: unknown },
  now: string,
): unknown[] {
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
  source_url, content_hash, attribution, raw, first_seen_at, last_seen_at, updated_at, delisted_at)
  VALUES (${Array(33).fill('?').join(', ')}, NULL)`;

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
    /** Queues a call for the matcher with the content it has now (see `match_queue`). */
    queueMatch: sqlite.prepare(
      `INSERT INTO match_queue (call_id, content_hash) VALUES (?, ?)
       ON CONFLICT (call_id) DO UPDATE SET content_hash = excluded.content_hash`,
    ),
    deleteDeadlines: sqlite.prepare('DELETE FROM call_deadlines WHERE call_id = ?'),
    insertDeadline: sqlite.prepare(
      'INSERT INTO call_deadlines (call_id, position, at, time_zone, raw, stage, label) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
  };
}

const statementCache = new WeakMap<Database.Database, ReturnType<typeof makeStatements>>();

/** The connection behind a drizzle database or transaction (a transaction shares its session). */
export function statementsFor(db: Db) {
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
