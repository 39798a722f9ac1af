import { beforeAll, describe, expect, it } from 'vitest';
import { upsertCall } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import { type PursuitStatus, pursuitStatuses } from '../../src/domain/enums.ts';
import { isAppError } from '../../src/errors.ts';
import { createPursuit } from '../../src/pursuits/create.ts';
import { getPursuitDetail } from '../../src/pursuits/get.ts';
import { movePursuit } from '../../src/pursuits/move.ts';
import { sampleCall } from '../helpers/calls.ts';
import { useTestContext } from '../helpers/context.ts';
import { principal } from '../helpers/pursuits.ts';

/** Written out by hand from the issue, not derived from the code under test. */
const legal: [PursuitStatus, PursuitStatus][] = [
  ['beobachtet', 'in_pruefung'],
  ['beobachtet', 'verworfen'],
  ['in_pruefung', 'antrag_in_vorbereitung'],
  ['in_pruefung', 'beobachtet'],
  ['in_pruefung', 'verworfen'],
  ['antrag_in_vorbereitung', 'eingereicht'],
  ['antrag_in_vorbereitung', 'in_pruefung'],
  ['antrag_in_vorbereitung', 'verworfen'],
  ['eingereicht', 'bewilligt'],
  ['eingereicht', 'abgelehnt'],
  ['eingereicht', 'verworfen'],
  ['verworfen', 'beobachtet'],
];
/** The shortest way from `beobachtet` to each status, to set up a pursuit in that status. */
const pathTo: Record<PursuitStatus, PursuitStatus[]> = {
  beobachtet: [],
  in_pruefung: ['in_pruefung'],
  antrag_in_vorbereitung: ['in_pruefung', 'antrag_in_vorbereitung'],
  eingereicht: ['in_pruefung', 'antrag_in_vorbereitung', 'eingereicht'],
  bewilligt: ['in_pruefung', 'antrag_in_vorbereitung', 'eingereicht', 'bewilligt'],
  abgelehnt: ['in_pruefung', 'antrag_in_vorbereitung', 'eingereicht', 'abgelehnt'],
  verworfen: ['verworfen'],
};

describe('pursuit status machine', () => {
  const makeCtx = useTestContext();
  let ctx: AppContext;
  let owner: ReturnType<typeof principal>;
  const now = new Date('2026-05-04T08:00:00Z');
  beforeAll(() => {
    ctx = makeCtx();
    owner = principal(ctx, 'Jana Owner');
    upsertCall(ctx.dbh.db, sampleCall());
  });
  const fresh = (status: PursuitStatus) => {
    const p = createPursuit(
      ctx,
      owner,
      { callId: sampleCall().id, measures: ['staedtepartnerschaften-2'], ownerEmail: 'jana@kiel.example' },
      now,
    );
    for (const s of pathTo[status]) movePursuit(ctx, owner, p.id, { status: s }, now);
    return p.id;
  };

  const all = pursuitStatuses.flatMap((from) => pursuitStatuses.map((to) => [from, to] as const));
  it.each(all)('%s → %s', (from, to) => {
    const id = fresh(from);
    const isLegal = legal.some(([a, b]) => a === from && b === to);
    if (isLegal) {
      expect(movePursuit(ctx, owner, id, { status: to }, now).status).toBe(to);
      const h = getPursuitDetail(ctx, id, now).history.at(-1);
      expect(h).toMatchObject({ field: 'status', from, to, actor: `Jana Owner (#${owner.id})` });
    } else {
      let err: unknown;
      try {
        movePursuit(ctx, owner, id, { status: to }, now);
      } catch (e) {
        err = e;
      }
      expect(isAppError(err) && err.code).toBe('CONFLICT');
      expect(getPursuitDetail(ctx, id, now).status).toBe(from);
    }
  });

  it('records the grant with its amount, and refuses a granted amount before the grant', () => {
    const id = fresh('eingereicht');
    expect(() => movePursuit(ctx, owner, id, { status: 'abgelehnt', amountGranted: 5 }, now)).toThrow(
      /granted amount/,
    );
    const p = movePursuit(
      ctx,
      owner,
      id,
      { status: 'bewilligt', amountGranted: 42_000, note: 'Bescheid da' },
      now,
    );
    expect(p).toMatchObject({ status: 'bewilligt', amountGranted: 42_000 });
    const d = getPursuitDetail(ctx, id, now);
    expect(d.history.slice(-2)).toMatchObject([
      { field: 'status', from: 'eingereicht', to: 'bewilligt' },
      { field: 'amountGranted', from: null, to: 42_000 },
    ]);
    expect(d.notes[0]).toMatchObject({ author: 'Jana Owner', text: 'Bescheid da', at: now.toISOString() });
  });

  it('rejects an unknown status with a validation error and changes nothing', () => {
    const id = fresh('beobachtet');
    expect(() => movePursuit(ctx, owner, id, { status: 'gewonnen' as PursuitStatus }, now)).toThrow(
      /invalid move/,
    );
    expect(getPursuitDetail(ctx, id, now).history).toHaveLength(1);
  });
});
