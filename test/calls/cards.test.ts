import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import { createToken } from '../../src/auth/tokens.ts';
import { getCallCards } from '../../src/calls/cards.ts';
import { markDelisted } from '../../src/calls/crawl-state.ts';
import { upsertCall } from '../../src/calls/store.ts';
import { sampleCall } from '../helpers/calls.ts';
import { useTestContext } from '../helpers/context.ts';

/** `data_version` of other connections is re-read after at most a millisecond (see dataGeneration). */
const otherCommitsShow = () => new Promise((r) => setTimeout(r, 5));
const call = (id: string, title: string) =>
  sampleCall({ id: `eu-ft:${id}`, sourceId: id, identifier: id, title, keywords: ['a', 'b'] });

describe('call cards', () => {
  const makeCtx = useTestContext();

  it('reads cards in the order asked, skipping unknown ids, and repeats them unchanged', () => {
    const { dbh } = makeCtx();
    upsertCall(dbh.db, call('A', 'Alpha'));
    upsertCall(dbh.db, call('B', 'Beta'));
    const ids = ['eu-ft:B', 'eu-ft:nope', 'eu-ft:A'];
    const first = getCallCards(dbh.sqlite, ids);
    expect(first.map((c) => [c.id, c.title])).toEqual([
      ['eu-ft:B', 'Beta'],
      ['eu-ft:A', 'Alpha'],
    ]);
    expect(first[0]!.keywords).toEqual(['a', 'b']);
    expect(first[0]!.deadlines[0]!.timeZone).toBe('Europe/Brussels');
    expect(getCallCards(dbh.sqlite, ids)).toEqual(first);
  });

  it('shows a changed call with the next read, whether this process or another one wrote it', async () => {
    const { dbh, config } = makeCtx();
    upsertCall(dbh.db, call('A', 'Alpha'));
    expect(getCallCards(dbh.sqlite, ['eu-ft:A'])[0]!.title).toBe('Alpha');
    upsertCall(dbh.db, call('A', 'Alpha, revised'));
    expect(getCallCards(dbh.sqlite, ['eu-ft:A'])[0]!.title).toBe('Alpha, revised');

    const other = openDatabase(config.databasePath);
    try {
      upsertCall(other.db, call('A', 'Alpha, from the importer'));
    } finally {
      other.close();
    }
    await otherCommitsShow();
    expect(getCallCards(dbh.sqlite, ['eu-ft:A'])[0]!.title).toBe('Alpha, from the importer');
  });

  it('keeps cards through writes elsewhere, not through any write to calls or deadlines', async () => {
    const { dbh, config } = makeCtx();
    upsertCall(dbh.db, call('A', 'Alpha'));
    const kept = getCallCards(dbh.sqlite, ['eu-ft:A'])[0]!;
    const other = openDatabase(config.databasePath);
    try {
      // A token made by the CLI: nothing a card shows changed, so the very card is kept.
      createToken(other.db, { name: 'cli', role: 'reader' });
      await otherCommitsShow();
      expect(getCallCards(dbh.sqlite, ['eu-ft:A'])[0]).toBe(kept);

      // A crawl's delisting writes no content (and no updated_at): still seen with the next read.
      markDelisted(other.db, 'eu-ft', new Set(), new Date('2026-12-01T00:00:00Z'));
      await otherCommitsShow();
      const delisted = getCallCards(dbh.sqlite, ['eu-ft:A'])[0]!;
      expect(delisted.delistedAt).toBe('2026-12-01T00:00:00.000Z');

      // A deadline moved, nothing else.
      const moved = call('A', 'Alpha');
      moved.deadlines = [{ ...moved.deadlines[0]!, at: '2027-03-01T16:00:00.000Z', raw: 'moved' }];
      upsertCall(other.db, moved);
      await otherCommitsShow();
      expect(getCallCards(dbh.sqlite, ['eu-ft:A'])[0]!.deadlines.map((d) => d.raw)).toEqual(['moved']);
    } finally {
      other.close();
    }
  });

  it('reads what a transaction wrote inside it and keeps nothing of it after a rollback', () => {
    const { dbh } = makeCtx();
    upsertCall(dbh.db, call('A', 'Alpha'));
    expect(getCallCards(dbh.sqlite, ['eu-ft:A'])[0]!.title).toBe('Alpha');
    expect(() =>
      dbh.sqlite.transaction(() => {
        dbh.sqlite.prepare("update calls set title = 'Draft' where id = 'eu-ft:A'").run();
        expect(getCallCards(dbh.sqlite, ['eu-ft:A'])[0]!.title).toBe('Draft');
        throw new Error('rolled back');
      })(),
    ).toThrow('rolled back');
    expect(getCallCards(dbh.sqlite, ['eu-ft:A'])[0]!.title).toBe('Alpha');
    // The counter is back where it was: a later write of other text must not meet a kept "Draft".
    dbh.sqlite.prepare("update calls set title = 'Final' where id = 'eu-ft:A'").run();
    expect(getCallCards(dbh.sqlite, ['eu-ft:A'])[0]!.title).toBe('Final');
  });
});
