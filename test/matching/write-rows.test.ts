import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseImportFile } from '../../src/calls/import-jsonl.ts';
import { upsertCall } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import type { Call } from '../../src/domain/call.ts';
import { matchCalls, matchPending } from '../../src/matching/service.ts';
import { bulkFillCalls } from '../../src/matching/write-rows.ts';
import { fromPackage } from '../../src/paths.ts';
import { useTestContext } from '../helpers/context.ts';

const now = new Date('2025-03-01T00:00:00Z');
const dev = parseImportFile(readFileSync(fromPackage('eval', 'dev', 'calls.jsonl'), 'utf8')).calls.map(
  (c) => c.call,
);
// Enough calls for the bulk first fill: copies of the dev calls under other ids.
const calls: Call[] = Array.from({ length: bulkFillCalls + 40 }, (_, i) => {
  const c = dev[i % dev.length]!;
  return { ...c, id: `${c.id}-${i}`, sourceId: `${c.sourceId}-${i}` };
});

function store(ctx: AppContext, list: Call[]) {
  ctx.dbh.db.transaction((tx) => {
    for (const c of list) upsertCall(tx, c);
  });
}

const rowsOf = (ctx: AppContext) =>
  ctx.dbh.sqlite
    .prepare(
      'SELECT call_id, target, target_kind, score, eligibility, reason, reason_en, rule_version, matched_at FROM matches ORDER BY call_id, target',
    )
    .all();
const schemaOf = (ctx: AppContext) =>
  ctx.dbh.sqlite
    .prepare("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'matches' ORDER BY name")
    .all() as { type: string; name: string; sql: string | null }[];

describe('writing match rows', () => {
  const context = useTestContext();

  it('a first fill of an empty table gives the same rows, indexes and signatures as matching in increments', () => {
    const cold = context();
    const schemaBefore = schemaOf(cold);
    store(cold, calls);
    const first = matchCalls(cold, { now });
    expect(first.calls).toBe(calls.length);
    expect(first.writtenRows).toBe(first.rows);

    // The same calls matched a few at a time: the table is never empty after the first run.
    const stepwise = context();
    store(stepwise, calls.slice(0, 10));
    matchPending(stepwise, { now });
    store(stepwise, calls.slice(10));
    matchPending(stepwise, { now });

    expect(rowsOf(cold)).toEqual(rowsOf(stepwise));
    expect(rowsOf(cold).length).toBe(first.rows);
    // The secondary indexes are back, as the migrations made them, and the file is sound.
    expect(schemaOf(cold)).toEqual(schemaBefore);
    expect(schemaOf(cold).filter((r) => r.type === 'index').length).toBe(2);
    expect(cold.dbh.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    const state = (ctx: AppContext) =>
      ctx.dbh.sqlite.prepare('SELECT call_id, signature FROM match_state ORDER BY call_id').all();
    expect(state(cold)).toEqual(state(stepwise));
    expect(cold.dbh.sqlite.prepare('SELECT count(*) AS n FROM match_queue').get()).toEqual({
      n: 0,
    });
    // The next run finds nothing to write.
    const again = matchCalls(cold, { now });
    expect(again.changedCalls).toBe(0);
    expect(again.writtenRows).toBe(0);
  });

  it('a first fill that fails rolls back with the indexes in place', () => {
    const ctx = context();
    const schemaBefore = schemaOf(ctx);
    store(ctx, calls);
    // The re-match after a rule save runs inside the save's transaction; a failure after it
    // undoes the rows and the dropped indexes together.
    expect(() =>
      ctx.dbh.sqlite.transaction(() => {
        expect(matchCalls(ctx, { now }).writtenRows).toBeGreaterThan(0);
        throw new Error('fails after the fill');
      })(),
    ).toThrow('fails after the fill');
    expect(ctx.dbh.sqlite.prepare('SELECT count(*) AS n FROM matches').get()).toEqual({ n: 0 });
    expect(schemaOf(ctx)).toEqual(schemaBefore);
    expect(ctx.dbh.sqlite.prepare('SELECT count(*) AS n FROM match_queue').get()).toEqual({
      n: calls.length,
    });
  });
});
