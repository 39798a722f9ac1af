import { describe, expect, it } from 'vitest';
import { parseImportFile } from '../../src/calls/import-jsonl.ts';
import { importCalls } from '../../src/calls/import-service.ts';
import { statusAt } from '../../src/calls/query.ts';
import { archivedFrom } from '../../src/domain/call.ts';
import { listTargetMatches } from '../../src/matches/list.ts';
import { useTestContext } from '../helpers/context.ts';

/**
 * Failure class "old calls look current": a call of a 2014–2020 programme, or with a year in
 * its title long past, and without a deadline is closed (archived), not open-ended: it stays
 * out of "open" lists and top-10s (and digests, which select open-ended but not closed calls).
 */
const now = new Date('2026-12-01T09:00:00Z');
const line = (o: Record<string, unknown>) =>
  JSON.stringify({ source: 'interreg', applicants: 'Public authorities and organisations', ...o });
const file = [
  line({
    id: 'bsr-old',
    programme: 'Interreg Baltic Sea Region 2014-2020',
    title: 'Fourth call for applications: Baltic Sea cooperation projects',
    summary: 'Transnational projects around the Baltic Sea on innovation, transport and water management.',
  }),
  line({
    id: 'wettbewerb-2019',
    source: 'import',
    programme: 'Ostseeforum der Städte',
    title: 'Ostsee-Städtewettbewerb 2019',
    summary: 'Auszeichnung für Kooperationsprojekte von Städten im Ostseeraum.',
    language: 'de',
  }),
  line({
    id: 'bsr-now',
    programme: 'Interreg Baltic Sea Region 2021-2027',
    title: 'Call for small projects: Baltic Sea cooperation',
    summary: 'Small transnational projects around the Baltic Sea, seed money for new partnerships.',
  }),
  line({
    id: 'bsr-old-but-dated',
    programme: 'Interreg Baltic Sea Region 2014-2020',
    title: 'Extension call for Baltic Sea cooperation projects',
    summary: 'Projects around the Baltic Sea that capitalise on earlier results.',
    deadlines: ['2027-02-15'],
  }),
].join('\n');

describe('old calls', () => {
  it('infers closed from a past programme period or a title year long past when no deadline is given', () => {
    const { calls, errors } = parseImportFile(file, now);
    expect(errors).toEqual([]);
    const status = Object.fromEntries(calls.map((c) => [c.fileId, c.call.status]));
    expect(status).toEqual({
      'bsr-old': 'closed',
      'wettbewerb-2019': 'closed',
      'bsr-now': 'open-ended',
      // A published later deadline wins over the programme period.
      'bsr-old-but-dated': 'open',
    });
    expect(archivedFrom({ title: 'Call 2025', programme: 'Programme 2021-2027' })).toBe(
      '2027-01-01T00:00:00.000Z',
    );
    expect(archivedFrom({ title: 'Kleinprojekte', programme: 'Interreg V A 2014–20' })).toBe(
      '2022-01-01T00:00:00.000Z',
    );
    expect(archivedFrom({ title: 'Agenda 2030 vor Ort', programme: '' })).toBe('2032-01-01T00:00:00.000Z');
    expect(archivedFrom({ title: 'Städtepartnerschaften', programme: 'CERV' })).toBeUndefined();
    expect(
      statusAt({ openingAt: null, deadlines: [], archivedAt: Date.parse('2022-01-01') }, now.getTime()),
    ).toBe('closed');
  });

  it('keeps archived calls out of the open list of their field, current ones in it', () => {
    const ctx = useTestContext()();
    importCalls(ctx, parseImportFile(file, now).calls);
    const list = listTargetMatches(ctx, 'ostseeraum', {}, { tokenId: 1 }, now);
    const ids = list.items.map((i) => i.call.id);
    expect(ids).toContain('interreg:bsr-now');
    expect(ids).toContain('interreg:bsr-old-but-dated');
    expect(ids).not.toContain('interreg:bsr-old');
    expect(ids).not.toContain('import:wettbewerb-2019');
    // Asked for explicitly, closed calls are still there.
    const closed = listTargetMatches(ctx, 'ostseeraum', { status: 'closed' }, { tokenId: 1 }, now);
    expect(closed.items.map((i) => i.call.id).sort()).toEqual(['import:wettbewerb-2019', 'interreg:bsr-old']);
  });
});
