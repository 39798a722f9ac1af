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

  it('stores and reads back every field of a full call, and an unchanged write re-lists and refreshes it', () => {
    const { dbh } = makeCtx();
    const full = sampleCall({
      operator: 'EACEA',
      descriptionHtml: '<p>Town twinning</p>',
      openingDate: '2026-04-01T08:00:00.000Z',
      sourceStatus: 'Open for submission',
      budget: { currency: 'EUR', total: 1_000_000, raw: 'EUR 1 000 000' },
      fundingRate: 0.9,
      applicantsText: 'Towns and municipalities',
      countries: ['DE', 'DK'],
      nuts: ['DEF02'],
      keywords: ['town twinning', 'citizens'],
      notices: ['Call updated'],
      deadlines: [
        {
          at: '2026-06-01T15:00:00.000Z',
          timeZone: 'Europe/Brussels',
          raw: 'a',
          stage: 'sketch',
          label: 'Skizze',
        },
        { at: '2026-09-17T15:00:00.000Z', timeZone: 'Europe/Brussels', raw: 'b', stage: 'full-application' },
      ],
      provenance: { ...sampleCall().provenance, attribution: '© European Union' },
      raw: { topic: 'CERV', n: [1, 2] },
    });
    const now = new Date('2026-05-01T06:00:00Z');
    expect(upsertCall(dbh.db, full, { now })).toBe('new');
    const { firstSeenAt, lastSeenAt, delistedAt, ...stored } = getCall(dbh.db, full.id)!;
    expect(stored).toEqual({
      ...full,
      provenance: { ...full.provenance, contentHash: stored.provenance.contentHash },
    });
    expect([firstSeenAt, lastSeenAt, delistedAt]).toEqual([now.toISOString(), now.toISOString(), null]);
    const row = dbh.sqlite
      .prepare('SELECT next_deadline, list_fingerprint FROM calls WHERE id = ?')
      .get(full.id);
    expect(row).toEqual({ next_deadline: '2026-06-01T15:00:00.000Z', list_fingerprint: null });
    // Queued for the matcher with the content it has.
    expect(dbh.sqlite.prepare('SELECT call_id, content_hash FROM match_queue').all()).toEqual([
      { call_id: full.id, content_hash: stored.provenance.contentHash },
    ]);

    dbh.sqlite.prepare("UPDATE calls SET delisted_at = '2026-05-01T07:00:00.000Z' WHERE id = ?").run(full.id);
    const later = new Date('2026-05-02T06:00:00Z');
    const again = { ...full, raw: { topic: 'CERV', n: [3] } };
    expect(upsertCall(dbh.db, again, { now: later })).toBe('unchanged');
    const after = getCall(dbh.db, full.id)!;
    expect(after.raw).toEqual({ topic: 'CERV', n: [3] });
    expect([after.firstSeenAt, after.lastSeenAt, after.delistedAt]).toEqual([
      now.toISOString(),
      later.toISOString(),
      null,
    ]);
  });

  it('rejects an invalid call with a clear error and stores nothing', () => {
    const { dbh } = makeCtx();
    expect(() => upsertCall(dbh.db, sampleCall({ title: '' }))).toThrow(/title/);
    expect(getCall(dbh.db, sampleCall().id)).toBeUndefined();
  });
});
