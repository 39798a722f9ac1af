import type Database from 'better-sqlite3';
import type { Deadline } from '../domain/call.ts';
import type { MatchableCall } from './facts.ts';

/** A call as the matcher reads it, with the content hash that keys the token cache. */
export interface LoadedCall extends MatchableCall {
  contentHash: string;
}

interface Row {
  id: string;
  source: MatchableCall['source'];
  programme: string | null;
  identifier: string | null;
  funder: string | null;
  title: string;
  summary: string;
  description: string;
  language: string;
  status: MatchableCall['status'];
  budget: string | null;
  funding_rate: number | null;
  applicant_types: string;
  applicants_text: string | null;
  countries: string;
  nuts: string;
  keywords: string;
  content_hash: string;
}

const columns = `id, source, programme, identifier, funder, title, summary, description, language, status, budget,
  funding_rate, applicant_types, applicants_text, countries, nuts, keywords, content_hash`;

/**
 * Rows of `<sql> (?, ?, …) <suffix>` for many ids, in chunks of 500 (SQLite's limit on bound
 * parameters is far above, but statements stay small and cacheable).
 */
export function selectIn<T>(
  sqlite: Database.Database,
  sql: string,
  ids: readonly string[],
  suffix = '',
): T[] {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    out.push(
      ...(sqlite.prepare(`${sql} (${chunk.map(() => '?').join(',')}) ${suffix}`).all(...chunk) as T[]),
    );
  }
  return out;
}

/**
 * Reads only what matching needs, straight from SQLite: a full re-match reads every call, and
 * parsing each through the zod schema would cost more than scoring it.
 */
export function loadCallsForMatching(sqlite: Database.Database, ids?: readonly string[]): LoadedCall[] {
  const out: LoadedCall[] = [];
  forEachCallForMatching(sqlite, ids, (c) => out.push(c));
  return out;
}

/**
 * Hands each call to `each` as it is read (in id order for all calls, in chunks otherwise), so
 * a caller that keeps only part of a call (the matcher keeps tokens, not texts) never holds all
 * texts at once: they die young instead of being promoted and copied by the garbage collector.
 * `each` must not use the connection (a statement is being iterated). Reading all calls, `each`
 * can stop it by returning false, and `after` starts it after that id.
 */
export function forEachCallForMatching(
  sqlite: Database.Database,
  ids: readonly string[] | undefined,
  each: (c: LoadedCall) => unknown,
  after?: string,
): void {
  const dls = new Map<string, Deadline[]>();
  const addDeadlines = (
    list: { call_id: string; at: string; time_zone: string; raw: string; stage: string }[],
  ) => {
    for (const d of list) {
      const arr = dls.get(d.call_id) ?? [];
      arr.push({ at: d.at, timeZone: d.time_zone, raw: d.raw, stage: d.stage as Deadline['stage'] });
      dls.set(d.call_id, arr);
    }
  };
  const dlSql = 'SELECT call_id, at, time_zone, raw, stage FROM call_deadlines';
  if (!ids) {
    const from = after === undefined ? [] : [after];
    const dlWhere = after === undefined ? '' : 'WHERE call_id > ?';
    addDeadlines(sqlite.prepare(`${dlSql} ${dlWhere} ORDER BY call_id, position`).all(...from) as never);
    const where = after === undefined ? '' : 'WHERE id > ?';
    const rows = sqlite.prepare(`SELECT ${columns} FROM calls ${where} ORDER BY id`).iterate(...from);
    for (const r of rows as IterableIterator<Row>) {
      if (each(toCall(r, dls)) === false) {
        rows.return?.();
        return;
      }
    }
    return;
  }
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = selectIn<Row>(sqlite, `SELECT ${columns} FROM calls WHERE id IN`, chunk);
    addDeadlines(selectIn(sqlite, `${dlSql} WHERE call_id IN`, chunk, 'ORDER BY call_id, position'));
    for (const r of rows) each(toCall(r, dls));
  }
}

function toCall(r: Row, dls: ReadonlyMap<string, Deadline[]>): LoadedCall {
  return {
    id: r.id,
    source: r.source,
    programme: r.programme ?? undefined,
    identifier: r.identifier ?? undefined,
    funder: r.funder ?? undefined,
    title: r.title,
    summary: r.summary,
    description: r.description,
    language: r.language,
    status: r.status,
    deadlines: dls.get(r.id) ?? [],
    budget: r.budget ? JSON.parse(r.budget) : undefined,
    fundingRate: r.funding_rate ?? undefined,
    applicantTypes: JSON.parse(r.applicant_types),
    applicantsText: r.applicants_text ?? undefined,
    countries: JSON.parse(r.countries),
    nuts: JSON.parse(r.nuts),
    keywords: JSON.parse(r.keywords),
    contentHash: r.content_hash,
  };
}
