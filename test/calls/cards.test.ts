import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import { getCallCards } from '../../src/calls/cards.ts';
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
});
