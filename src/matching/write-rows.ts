import type Database from 'better-sqlite3';
import type { CallScores, Engine } from './engine.ts';
import type { CallFacts } from './facts.ts';
import { reasonRows } from './reason-rows.ts';

/** Writing a run's match rows: only the rows that differ, or a bulk first fill of an empty table. */

export interface ChangedCall {
  f: CallFacts;
  sc: CallScores;
  sig: number;
}

interface StoredRow {
  target: string;
  score: number;
  eligibility: string;
  reason: string;
  reason_en: string;
}

/**
 * Calls at least, for a first fill of an empty `matches` table to build its secondary indexes
 * after the inserts instead of with every row (sorting once is about half the cost); below,
 * dropping and re-creating the indexes is not worth the schema change.
 */
export const bulkFillCalls = 1_000;

/**
 * Brings the rows of the changed calls in `matches` up to date and stores their signatures;
 * runs inside the caller's transaction. Returns the rows inserted, updated or deleted.
 *
 * When `matches` is empty (the first match ever), nothing needs comparing: rows are inserted
 * without reading what is stored, and with many calls the table's secondary indexes are dropped
 * and re-created from their own stored SQL after the inserts, inside the same transaction (a
 * failure rolls the drop back with the rows; readers on other connections see the old state).
 */
export function writeChangedRows(
  s: Database.Database,
  engine: Engine,
  changed: readonly ChangedCall[],
  version: number,
  matchedAt: string,
): number {
  const empty = s.prepare('SELECT 1 FROM matches LIMIT 1').get() === undefined;
  const existing = s.prepare(
    'SELECT target, score, eligibility, reason, reason_en FROM matches WHERE call_id = ?',
  );
  const ins = s.prepare(
    `INSERT INTO matches (call_id, target, target_kind, score, eligibility, reason, reason_en, rule_version, matched_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const upd = s.prepare(
    `UPDATE matches SET score = ?, eligibility = ?, reason = ?, reason_en = ?, rule_version = ?, matched_at = ?
     WHERE call_id = ? AND target = ?`,
  );
  const del = s.prepare('DELETE FROM matches WHERE call_id = ? AND target = ?');
  const setSig = s.prepare(
    'INSERT INTO match_state (call_id, signature) VALUES (?, ?) ON CONFLICT (call_id) DO UPDATE SET signature = excluded.signature',
  );
  const indexes = empty && changed.length >= bulkFillCalls ? dropSecondaryIndexes(s) : [];
  const none = new Map<string, StoredRow>();
  let written = 0;
  for (const { f, sc, sig } of changed) {
    const before = empty ? none : new Map((existing.all(f.callId) as StoredRow[]).map((r) => [r.target, r]));
    for (const row of reasonRows(engine, f, sc)) {
      const { score, eligibility, reason, reasonEn } = row;
      const t = engine.targets[row.target]!;
      const old = before.get(t.id);
      if (
        old &&
        old.score === score &&
        old.eligibility === eligibility &&
        old.reason === reason &&
        old.reason_en === reasonEn
      ) {
        before.delete(t.id);
        continue;
      }
      if (old) {
        before.delete(t.id);
        upd.run(score, eligibility, reason, reasonEn, version, matchedAt, f.callId, t.id);
      } else ins.run(f.callId, t.id, t.kind, score, eligibility, reason, reasonEn, version, matchedAt);
      written++;
    }
    for (const target of before.keys()) {
      del.run(f.callId, target);
      written++;
    }
    setSig.run(f.callId, sig);
  }
  for (const sql of indexes) s.exec(sql);
  return written;
}

/** Drops the indexes of `matches` other than its primary key; returns the SQL that re-creates them. */
function dropSecondaryIndexes(s: Database.Database): string[] {
  const rows = s
    .prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'matches' AND sql IS NOT NULL",
    )
    .all() as { name: string; sql: string }[];
  for (const r of rows) s.exec(`DROP INDEX "${r.name.replaceAll('"', '""')}"`);
  return rows.map((r) => r.sql);
}
