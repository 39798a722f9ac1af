import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseImportFile } from '../../src/calls/import-jsonl.ts';
import { upsertCall } from '../../src/calls/store.ts';
import { type AppContext, createLogger } from '../../src/context.ts';
import type { Call } from '../../src/domain/call.ts';
import { matchCalls } from '../../src/matching/runner.ts';
import { analyzeAll, type TextDoc } from '../../src/matching/text.ts';
import { startTokenHelper } from '../../src/matching/token-ahead.ts';
import { callTexts } from '../../src/matching/token-batch.ts';
import { forgetTokenisedCalls } from '../../src/matching/token-cache.ts';
import { stemVocab, tokenVocab } from '../../src/matching/vocab.ts';
import { fromPackage } from '../../src/paths.ts';
import { useTestContext } from '../helpers/context.ts';

const now = new Date('2025-03-01T00:00:00Z');
const dev = parseImportFile(readFileSync(fromPackage('eval', 'dev', 'calls.jsonl'), 'utf8')).calls.map(
  (c) => c.call,
);
// More calls than one batch, each copy with a word of its own, so the worker meets new words
// in every batch.
const calls: Call[] = Array.from({ length: 700 }, (_, i) => {
  const c = dev[i % dev.length]!;
  return { ...c, id: `${c.id}-${i}`, sourceId: `${c.sourceId}-${i}`, summary: `${c.summary} kielwort${i}` };
});

/** A doc as words: tokens and words as written, in order, and each stem with its positions. */
function words(doc: TextDoc) {
  const stems = [...doc.stems].map((st) => [stemVocab.texts[st], [...doc.positions(st)!]]);
  const written = [...doc.tokens].map((_, at) => doc.word(at));
  return { tokens: [...doc.tokens].map((t) => tokenVocab.texts[t]), written, stems };
}

const rowsOf = (ctx: AppContext) => ({
  matches: ctx.dbh.sqlite.prepare('SELECT * FROM matches ORDER BY call_id, target').all(),
  state: ctx.dbh.sqlite.prepare('SELECT * FROM match_state ORDER BY call_id').all(),
});

function store(ctx: AppContext) {
  ctx.dbh.db.transaction((tx) => {
    for (const c of calls) upsertCall(tx, c);
  });
}

describe('tokenising on a worker thread', () => {
  const context = useTestContext();

  it('gives each call the docs this thread would make, with the same word ids', () => {
    const helper = startTokenHelper<string>();
    expect(helper.waitReady()).toBe(true);
    const got = new Map<string, TextDoc[]>();
    helper.begin((id, docs) => got.set(id, docs));
    for (const c of calls) helper.add(c.id, callTexts(c));
    expect(helper.finish()).toBeUndefined();
    expect(got.size).toBe(calls.length);
    // Read before this thread tokenises anything itself (that would fill in what is missing).
    const theirs = new Map([...got].map(([id, docs]) => [id, docs.map(words)]));
    const written = [...theirs.values()].flatMap((docs) => docs.flatMap((d) => d.written));
    expect(written.filter((w) => /[äöüß]/.test(w)).length).toBeGreaterThan(0);
    for (const c of calls.slice(0, 60)) {
      // This thread has adopted the worker's words: tokenising again adds none and gives the same ids.
      const size = tokenVocab.size;
      const mine = analyzeAll(callTexts(c));
      expect(tokenVocab.size).toBe(size);
      expect(got.get(c.id)!.map((d) => [...d.tokens])).toEqual(mine.map((d) => [...d.tokens]));
      expect(theirs.get(c.id)).toEqual(mine.map(words));
    }
    expect(got.get(calls[699]!.id)![0]!.tokens.length).toBeGreaterThan(0);
  });

  it('a first full run with the worker writes the same rows as one without', () => {
    const withWorker = context();
    store(withWorker);
    forgetTokenisedCalls();
    const r = matchCalls(withWorker, { now, worker: true });
    // The worker had loaded before the first call was read: it tokenised all but that one.
    expect(r.workerCalls).toBe(calls.length - 1);

    const alone = context();
    store(alone);
    forgetTokenisedCalls();
    const s = matchCalls(alone, { now, worker: false });
    expect(s.workerCalls).toBe(0);
    expect(r.rows).toBeGreaterThan(calls.length);
    expect(rowsOf(withWorker)).toEqual(rowsOf(alone));

    // The tokens it made serve the next runs: nothing changes, nothing is tokenised again.
    const daily = matchCalls(withWorker, { now });
    expect(daily.changedCalls).toBe(0);
  });

  it('when the worker fails, the matcher tokenises the calls itself and says so', () => {
    const reference = context();
    store(reference);
    forgetTokenisedCalls();
    matchCalls(reference, { now, worker: false });

    const ctx = context();
    store(ctx);
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ ...ctx.config, logLevel: 'warn' }, { destination });
    forgetTokenisedCalls();
    const entry = new URL('../fixtures/matching/failing-token-worker.mjs', import.meta.url);
    const r = matchCalls({ ...ctx, logger }, { now, worker: { entry } });
    expect(r.workerCalls).toBe(0);
    expect(r.calls).toBe(calls.length);
    expect(rowsOf(ctx)).toEqual(rowsOf(reference));
    const warning = lines.map((l) => JSON.parse(l)).find((l) => l.msg.includes('tokenising worker failed'));
    expect(warning).toMatchObject({ level: 40, err: 'tokeniser broke (test)' });
  });
});
