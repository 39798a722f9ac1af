import { describe, expect, it } from 'vitest';
import { getCallCards } from '../../src/calls/cards.ts';
import { getCall, getCallChanges, upsertCall } from '../../src/calls/store.ts';
import { sampleCall } from '../helpers/calls.ts';
import { useTestContext } from '../helpers/context.ts';

describe('call store', () => {
  const makeCtx = useTestContext();

  it('inserts, reads back, and reports unchanged on an identical second write', () => {
    const { dbh } = makeCtx();
    expect(upsertCall(dbh.db, sampleCall())).toBe('new');
    const stored = getCall(dbh.db, 'eu-ft:CERV-2026-CITIZENS-TOWN-TT')!;
    expect(stored.title).toBe('Town Twinning');
    expect(stored.deadlines).toEqual(sampleCall().deadlines);
    expect(stored.provenance.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const later = sampleCall({
      provenance: { ...sampleCall().provenance, fetchedAt: '2026-05-02T05:00:00.000Z' },
    });
    expect(upsertCall(dbh.db, later, { now: new Date('2026-05-02T05:00:00Z') })).toBe('unchanged');
    expect(getCallChanges(dbh.db, stored.id)).toEqual([]);
    expect(getCall(dbh.db, stored.id)!.lastSeenAt).toBe('2026-05-02T05:00:00.000Z');
  });

  it('stores no link that is not http(s), says so, and hands out none from older rows', () => {
    const { dbh } = makeCtx();
    const warnings: string[] = [];
    const onWarning = (m: string) => warnings.push(m);
    expect(upsertCall(dbh.db, sampleCall({ url: 'javascript:alert(1)' }), { onWarning })).toBe('new');
    const id = sampleCall().id;
    expect(getCall(dbh.db, id)!.url).toBeUndefined();
    expect(warnings).toEqual([`${id}: link dropped, not an http(s) URL: "javascript:alert(1)"`]);
    // A row written before links were checked.
    dbh.sqlite.prepare('UPDATE calls SET url = ? WHERE id = ?').run('data:text/html,<b>x</b>', id);
    expect(getCall(dbh.db, id)!.url).toBeUndefined();
    expect(getCallCards(dbh.sqlite, [id])[0]!.url).toBeNull();
  });

  it('records one history entry per changed field, old → new', () => {
    const { dbh } = makeCtx();
    upsertCall(dbh.db, sampleCall());
    const moved = sampleCall({
      deadlines: [{ at: '2026-10-01T15:00:00.000Z', timeZone: 'Europe/Brussels', raw: 'x', stage: 'single' }],
    });
    expect(upsertCall(dbh.db, moved)).toBe('changed');
    const changes = getCallChanges(dbh.db, moved.id);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ field: 'deadlines' });
    expect((changes[0]!.oldValue as { at: string }[])[0]!.at).toBe('2026-09-17T15:00:00.000Z');
    expect((changes[0]!.newValue as { at: string }[])[0]!.at).toBe('2026-10-01T15:00:00.000Z');
    expect(getCall(dbh.db, moved.id)!.deadlines[0]!.at).toBe('2026-10-01T15:00:00.000Z');
  });

  it('rejects an invalid call with a clear error and stores nothing', () => {
    const { dbh } = makeCtx();
    expect(() => upsertCall(dbh.db, sampleCall({ title: '' }))).toThrow(/title/);
    expect(getCall(dbh.db, sampleCall().id)).toBeUndefined();
  });
});
