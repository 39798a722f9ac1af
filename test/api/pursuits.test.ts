import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import { upsertCall } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import { berlin, dateInZone } from '../../src/domain/time.ts';
import { sampleCall } from '../helpers/calls.ts';
import { useTestContext } from '../helpers/context.ts';
import { principal } from '../helpers/pursuits.ts';

const day = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * day).toISOString();
const bearer = (p: { token: string }) => ({ authorization: `Bearer ${p.token}` });

describe('/api/pursuits: CRUD, moves, filters, CSV and who may do what', () => {
  const makeCtx = useTestContext();
  let ctx: AppContext;
  let app: App;
  let anna: ReturnType<typeof principal>;
  let ben: ReturnType<typeof principal>;
  let admin: ReturnType<typeof principal>;
  const call = (id: string, days: number) =>
    upsertCall(
      ctx.dbh.db,
      sampleCall({
        id: `eu-ft:${id}`,
        sourceId: id,
        title: `Call ${id}`,
        deadlines: [{ at: inDays(days), timeZone: 'Europe/Brussels', raw: `${days}`, stage: 'single' }],
      }),
    );

  beforeAll(async () => {
    ctx = makeCtx();
    app = await buildApp(ctx.config, { context: ctx });
    anna = principal(ctx, 'Anna');
    ben = principal(ctx, 'Ben');
    admin = principal(ctx, 'Admin', 'admin');
    call('SOON', 10);
    call('LATER', 60);
    call('PAST', -3);
  });
  afterAll(async () => app.close());

  const create = (who: { token: string }, body: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/api/pursuits', headers: bearer(who), payload: body });

  it('lets a reader take a call into the pipeline as its owner, and everyone read it', async () => {
    const r = await create(anna, {
      callId: 'eu-ft:LATER',
      measures: ['ostseeraum-2', 'staedtepartnerschaften-2'],
      ownerEmail: 'anna@kiel.example',
      partners: ['Aarhus', 'UBC'],
      partnersText: 'Hafen Gdańsk',
      amountApplied: 80_000,
      note: 'Passt zur Ostseestrategie',
    });
    expect(r.statusCode).toBe(201);
    const p = r.json();
    expect(p).toMatchObject({
      status: 'beobachtet',
      owner: { tokenId: anna.id, name: 'Anna', email: 'anna@kiel.example', language: 'de' },
      measures: ['ostseeraum-2', 'staedtepartnerschaften-2'],
      partners: ['Aarhus', 'UBC'],
      partnersText: 'Hafen Gdańsk',
      amountApplied: 80_000,
      deadlineMissed: false,
      allowedMoves: ['in_pruefung', 'verworfen'],
    });
    expect(p.notes[0]).toMatchObject({ author: 'Anna', text: 'Passt zur Ostseestrategie' });
    const read = await app.inject({ url: `/api/pursuits/${p.id}`, headers: bearer(ben) });
    expect(read.statusCode).toBe(200);
    expect(read.json().call.title).toBe('Call LATER');
  });

  it('lets only the owner and admins change, move, annotate or delete a pursuit', async () => {
    const p = (
      await create(anna, {
        callId: 'eu-ft:SOON',
        measures: ['ostseeraum-1'],
        ownerEmail: 'anna@kiel.example',
      })
    ).json();
    const tries = [
      { method: 'PATCH' as const, url: `/api/pursuits/${p.id}`, payload: { amountApplied: 5 } },
      { method: 'POST' as const, url: `/api/pursuits/${p.id}/status`, payload: { status: 'in_pruefung' } },
      { method: 'POST' as const, url: `/api/pursuits/${p.id}/notes`, payload: { text: 'mine now' } },
      { method: 'POST' as const, url: `/api/pursuits/${p.id}/alerts/seen` },
      { method: 'DELETE' as const, url: `/api/pursuits/${p.id}` },
    ];
    for (const t of tries) {
      const r = await app.inject({ ...t, headers: bearer(ben) });
      expect(r.statusCode, `${t.method} ${t.url}`).toBe(403);
      expect(r.json().code).toBe('FORBIDDEN');
    }
    const unchanged = (await app.inject({ url: `/api/pursuits/${p.id}`, headers: bearer(anna) })).json();
    expect(unchanged).toMatchObject({ status: 'beobachtet', amountApplied: null, notes: [] });
    expect(unchanged.history).toHaveLength(1);

    // The owner may; an admin may too.
    expect((await app.inject({ ...tries[1]!, headers: bearer(anna) })).json().status).toBe('in_pruefung');
    const patched = await app.inject({ ...tries[0]!, headers: bearer(admin) });
    expect(patched.json().amountApplied).toBe(5);
    expect(patched.json().history.at(-1)).toMatchObject({
      actor: `Admin (#${admin.id})`,
      field: 'amountApplied',
      from: null,
      to: 5,
    });
    // Without a token nothing at all.
    expect((await app.inject({ url: '/api/pursuits' })).statusCode).toBe(401);
    // The owner hands it to Ben (with his address); then Ben may, Anna may not.
    const handed = await app.inject({
      method: 'PATCH',
      url: `/api/pursuits/${p.id}`,
      headers: bearer(anna),
      payload: { ownerTokenId: ben.id, ownerEmail: 'ben@kiel.example' },
    });
    expect(handed.json().owner).toMatchObject({ tokenId: ben.id, email: 'ben@kiel.example' });
    expect((await app.inject({ ...tries[2]!, headers: bearer(anna) })).statusCode).toBe(403);
    expect((await app.inject({ ...tries[2]!, headers: bearer(ben) })).statusCode).toBe(201);
    // Deleting leaves the record in the audit log.
    expect((await app.inject({ ...tries[4]!, headers: bearer(ben) })).statusCode).toBe(204);
    expect((await app.inject({ url: `/api/pursuits/${p.id}`, headers: bearer(ben) })).statusCode).toBe(404);
    const audit = ctx.dbh.sqlite
      .prepare("select details from audit_log where action = 'pursuit.delete'")
      .get() as { details: string };
    expect(JSON.parse(audit.details)).toMatchObject({ id: p.id, measures: ['ostseeraum-1'] });
  });

  it('lets only admins create a pursuit for someone else', async () => {
    const body = {
      callId: 'eu-ft:SOON',
      measures: ['wirtschaft-1'],
      ownerEmail: 'ben@kiel.example',
      ownerTokenId: ben.id,
    };
    expect((await create(anna, body)).statusCode).toBe(403);
    const r = await create(admin, body);
    expect(r.statusCode).toBe(201);
    expect(r.json().owner.tokenId).toBe(ben.id);
  });

  it('answers bad input with field errors and stores nothing', async () => {
    const before = ctx.dbh.sqlite.prepare('select count(*) as n from pursuits').get();
    const bad = [
      { callId: 'eu-ft:NOPE', measures: ['ostseeraum-1'], ownerEmail: 'a@kiel.example' },
      { callId: 'eu-ft:SOON', measures: ['ostseeraum-99'], ownerEmail: 'a@kiel.example' },
      { callId: 'eu-ft:SOON', measures: [], ownerEmail: 'a@kiel.example' },
      { callId: 'eu-ft:SOON', measures: ['ostseeraum-1'], ownerEmail: 'not-an-address' },
      {
        callId: 'eu-ft:SOON',
        measures: ['ostseeraum-1'],
        ownerEmail: 'a@kiel.example',
        partners: ['Atlantis'],
      },
      { callId: 'eu-ft:SOON', measures: ['ostseeraum-1'], ownerEmail: 'a@kiel.example', amountApplied: -1 },
    ];
    for (const b of bad) {
      const r = await create(anna, b);
      expect(r.statusCode, JSON.stringify(b)).toBe(400);
      expect(r.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(r.json().errors.length).toBeGreaterThan(0);
    }
    expect(ctx.dbh.sqlite.prepare('select count(*) as n from pursuits').get()).toEqual(before);
    const p = (
      await create(anna, { callId: 'eu-ft:SOON', measures: ['ostseeraum-1'], ownerEmail: 'a@kiel.example' })
    ).json();
    const illegal = await app.inject({
      method: 'POST',
      url: `/api/pursuits/${p.id}/status`,
      headers: bearer(anna),
      payload: { status: 'bewilligt' },
    });
    expect(illegal.statusCode).toBe(409);
    expect(illegal.json().detail).toContain('in_pruefung, verworfen');
    const unknownField = await app.inject({
      method: 'PATCH',
      url: `/api/pursuits/${p.id}`,
      headers: bearer(anna),
      payload: { status: 'eingereicht' },
    });
    expect(unknownField.statusCode).toBe(400);
  });

  it('filters by owner, status, measure, deadline and missed deadline, and exports CSV', async () => {
    const past = (
      await create(ben, { callId: 'eu-ft:PAST', measures: ['wirtschaft-2'], ownerEmail: 'ben@kiel.example' })
    ).json();
    expect(past.deadlineMissed).toBe(true);
    const list = async (q: string, who = anna) =>
      (await app.inject({ url: `/api/pursuits${q}`, headers: bearer(who) })).json().items as {
        id: number;
        owner: { tokenId: number };
        status: string;
        measures: string[];
        call: { id: string };
      }[];
    const all = await list('');
    expect(all.length).toBeGreaterThanOrEqual(4);
    // Soonest deadline first: the passed one is "next" as the last deadline, before later ones.
    expect(all[0]!.call.id).toBe('eu-ft:PAST');
    expect((await list('?owner=me', ben)).every((p) => p.owner.tokenId === ben.id)).toBe(true);
    expect((await list(`?owner=${anna.id}`)).every((p) => p.owner.tokenId === anna.id)).toBe(true);
    expect(
      (await list('?status=beobachtet,in_pruefung')).every((p) =>
        ['beobachtet', 'in_pruefung'].includes(p.status),
      ),
    ).toBe(true);
    expect((await list('?measure=wirtschaft-2')).map((p) => p.id)).toEqual([past.id]);
    expect((await list('?deadlineMissed=true')).map((p) => p.id)).toEqual([past.id]);
    // The filter takes Berlin days (near midnight UTC, Berlin is a day further).
    const d = dateInZone(Date.now() + 60 * day, berlin);
    expect((await list(`?deadlineFrom=${d}&deadlineTo=${d}`)).map((p) => p.call.id)).toEqual(['eu-ft:LATER']);
    const bad = await app.inject({ url: '/api/pursuits?status=gewonnen', headers: bearer(anna) });
    expect(bad.statusCode).toBe(400);

    const csv = await app.inject({ url: '/api/pursuits.csv?measure=wirtschaft-2', headers: bearer(anna) });
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = parse(csv.body, { bom: true, delimiter: ';' }) as string[][];
    expect(rows).toHaveLength(2);
    expect(rows[1]).toEqual(
      expect.arrayContaining([
        String(past.id),
        'eu-ft:PAST',
        'wirtschaft-2',
        'beobachtet',
        'Ben',
        'ja / yes',
      ]),
    );
  });

  it('offers the concept’s partner cities and networks as choices', async () => {
    const r = (await app.inject({ url: '/api/pursuits/partners', headers: bearer(anna) })).json();
    expect(r.cities).toContain('Aarhus');
    expect(r.networks).toContain('UBC');
  });
});
