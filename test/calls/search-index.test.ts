import { describe, expect, it } from 'vitest';
import { callSearchIndex, callsFingerprintSql } from '../../src/calls/search-index.ts';
import { upsertCall } from '../../src/calls/store.ts';
import { indexTermOf } from '../../src/search/text.ts';
import { sampleCall } from '../helpers/calls.ts';
import { useTestContext } from '../helpers/context.ts';

const call = (id: string, title: string, description = 'Nothing else to say.') =>
  sampleCall({
    id: `eu-ft:${id}`,
    sourceId: id,
    identifier: id,
    programme: undefined,
    title,
    summary: title,
    description,
    keywords: [],
  });

const indexTerm = (word: string) => indexTermOf(word, 'en');

describe('call search index', () => {
  const makeCtx = useTestContext();

  it('leaves out a word nearly every call contains when other words can rank, keeps it when alone', () => {
    const ctx = makeCtx();
    ctx.dbh.sqlite.transaction(() => {
      for (let i = 0; i < 1_000; i++)
        upsertCall(ctx.dbh.db, call(`H-${i}`, `Horizon work programme part ${i}`));
      upsertCall(ctx.dbh.db, call('Q-1', 'Horizon quantum sensing'));
      upsertCall(ctx.dbh.db, call('Q-2', 'Quantum networks for cities'));
    })();
    const index = callSearchIndex(ctx);
    expect([...index.search('horizon quantum').keys()].sort()).toEqual(['eu-ft:Q-1', 'eu-ft:Q-2']);
    expect(index.search('horizon').size).toBe(1_001);
  });

  it('completes only a last word no call contains, and forgives typos only in such words', () => {
    const ctx = makeCtx();
    upsertCall(ctx.dbh.db, call('A', 'Climate neutrality of cities'));
    upsertCall(ctx.dbh.db, call('B', 'Citizens meet', 'Exchanges between citizens of twinned towns.'));
    upsertCall(ctx.dbh.db, call('C', 'Cities of culture'));
    const index = callSearchIndex(ctx);
    expect([...index.search('climate neutr').keys()]).toContain('eu-ft:A');
    expect([...index.search('citizns').keys()]).toEqual(['eu-ft:B']);
    // "cities" is a known word: no prefix on it, so "citizens" does not come along.
    expect([...index.search('cities').keys()].sort()).toEqual(['eu-ft:A', 'eu-ft:C']);
  });

  it('counts a word once per call however often the call changed, and not after it is gone', () => {
    const ctx = makeCtx();
    ctx.dbh.sqlite.transaction(() => {
      for (let i = 0; i < 1_000; i++) upsertCall(ctx.dbh.db, call(`P-${i}`, `Work programme part ${i}`));
      upsertCall(ctx.dbh.db, call('Q-1', 'Horizon quantum sensing'));
      upsertCall(ctx.dbh.db, call('Q-2', 'Quantum networks for cities'));
    })();
    const index = callSearchIndex(ctx);
    // A call re-indexed at 600 crawls, its text changed each time: "horizon" stays in 2 calls,
    // not 601 (which would make it a word "nearly every call contains" and drop it from queries).
    for (let round = 0; round < 600; round++) {
      upsertCall(ctx.dbh.db, call('W', `Horizon widening round ${round}`));
      index.refresh();
    }
    expect(index.callsWithTerm(indexTerm('horizon'))).toBe(2);
    expect([...index.search('horizon quantum').keys()].sort()).toEqual(['eu-ft:Q-1', 'eu-ft:Q-2', 'eu-ft:W']);
    upsertCall(ctx.dbh.db, call('W', 'Widening participation'));
    index.refresh();
    expect(index.callsWithTerm(indexTerm('horizon'))).toBe(1);
    expect(index.callsWithTerm(indexTerm('widening'))).toBe(1);
  });

  it('checks for changed calls through indexes only, never a scan of the calls table', () => {
    // Asked on the next request after any commit by another process: a scan of the wide table
    // was a 36-105 ms stall of the server at 20,000 calls.
    const ctx = makeCtx();
    upsertCall(ctx.dbh.db, call('A', 'Climate neutrality of cities'));
    const plan = (
      ctx.dbh.sqlite.prepare(`explain query plan ${callsFingerprintSql}`).all() as { detail: string }[]
    ).map((r) => r.detail);
    const onCalls = plan.filter((d) => /\bcalls\b/.test(d));
    expect(onCalls.length).toBe(2);
    for (const d of onCalls) expect(d).toMatch(/USING (COVERING )?INDEX/);
    expect(ctx.dbh.sqlite.prepare(callsFingerprintSql).get()).toMatchObject({ n: 1 });
  });
});
