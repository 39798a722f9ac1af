import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import { upsertCall } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import { sampleCall } from '../helpers/calls.ts';
import { authHeader, useTestContext } from '../helpers/context.ts';
import { insertMatch } from '../helpers/matches.ts';

const day = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * day).toISOString();
const target = 'staedtepartnerschaften-1';

describe('ranked matches and feedback', () => {
  const makeCtx = useTestContext();
  let ctx: AppContext;
  let app: App;
  let alice: { authorization: string };
  let bob: { authorization: string };
  let admin: { authorization: string };

  beforeAll(async () => {
    ctx = makeCtx();
    app = await buildApp(ctx.config, { context: ctx });
    alice = authHeader(ctx);
    bob = authHeader(ctx);
    admin = authHeader(ctx, 'admin');
    const add = (id: string, days: number | null, extra = {}) =>
      upsertCall(
        ctx.dbh.db,
        sampleCall({
          id: `eu-ft:${id}`,
          sourceId: id,
          title: `Call ${id}`,
          fundingRate: 0.9,
          deadlines:
            days === null
              ? []
              : [{ at: inDays(days), timeZone: 'Europe/Brussels', raw: `${days}`, stage: 'single' }],
          ...extra,
        }),
      );
    add('A', 30);
    add('B', 12);
    add('C', 50);
    add('D', -5); // closed
    add('E', 20); // excluded
    add('F', 70); // unclear but high score
    insertMatch(ctx, {
      callId: 'eu-ft:A',
      target,
      score: 80,
      reason: 'Städtepartnerschaft, Kommune antragsberechtigt',
    });
    insertMatch(ctx, { callId: 'eu-ft:B', target, score: 90 });
    insertMatch(ctx, { callId: 'eu-ft:C', target, score: 60 });
    insertMatch(ctx, { callId: 'eu-ft:D', target, score: 99 });
    insertMatch(ctx, {
      callId: 'eu-ft:E',
      target,
      score: 95,
      eligibility: 'excluded',
      reason: 'Nur für KMU',
    });
    insertMatch(ctx, { callId: 'eu-ft:F', target, score: 97, eligibility: 'unclear' });
    insertMatch(ctx, { callId: 'eu-ft:A', target: 'staedtepartnerschaften', score: 75 });
  });
  afterAll(async () => app.close());

  const list = async (who: { authorization: string }, qs = '') => {
    const res = await app.inject({ url: `/api/measures/${target}/matches${qs}`, headers: who });
    expect(res.statusCode).toBe(200);
    return res.json() as {
      target: { kind: string; name: string };
      items: Array<Record<string, unknown> & { callId: string; deadline: Record<string, unknown> }>;
      next: string | null;
    };
  };

  it('ranks eligible calls by score, then unclear ones; closed and excluded are left out by default', async () => {
    const body = await list(alice);
    expect(body.target.kind).toBe('measure');
    expect(body.items.map((i) => i.callId)).toEqual(['eu-ft:B', 'eu-ft:A', 'eu-ft:C', 'eu-ft:F']);
    const a = body.items[1]!;
    expect(a).toMatchObject({
      score: 80,
      eligibility: 'eligible',
      reason: 'Städtepartnerschaft, Kommune antragsberechtigt',
      reasonEn: `Fits ${target}`,
      fundingRate: 0.9,
      programme: 'Citizens, Equality, Rights and Values (CERV)',
      status: 'open',
    });
    expect(a.deadline.timeZone).toBe('Europe/Brussels');
    expect([29, 30]).toContain(a.deadline.daysLeft); // 29 only when a clock change moves the hour across midnight
    expect(String(a.deadline.local)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(String(a.deadline.berlin)).toMatch(/[+-]0[12]:00$/);
  });

  it('filters by status and deadline window, and shows excluded calls on request', async () => {
    expect((await list(alice, '?status=closed')).items.map((i) => i.callId)).toEqual(['eu-ft:D']);
    const from = inDays(10).slice(0, 10);
    const to = inDays(35).slice(0, 10);
    expect((await list(alice, `?deadlineFrom=${from}&deadlineTo=${to}`)).items.map((i) => i.callId)).toEqual([
      'eu-ft:B',
      'eu-ft:A',
    ]);
    const all = await list(alice, '?includeExcluded=true');
    expect(all.items.at(-1)).toMatchObject({
      callId: 'eu-ft:E',
      eligibility: 'excluded',
      reason: 'Nur für KMU',
    });
  });

  it('pages with a cursor', async () => {
    const first = await list(alice, '?limit=2&includeExcluded=true');
    expect(first.items.map((i) => i.callId)).toEqual(['eu-ft:B', 'eu-ft:A']);
    const second = await app.inject({ url: first.next!, headers: alice });
    expect(second.json().items.map((i: { callId: string }) => i.callId)).toEqual(['eu-ft:C', 'eu-ft:F']);
    const third = await app.inject({ url: second.json().next, headers: alice });
    expect(third.json().items.map((i: { callId: string }) => i.callId)).toEqual(['eu-ft:E']);
    expect(third.json().next).toBeNull();
  });

  it('lists an action field the same way, and answers 404 for unknown targets', async () => {
    const res = await app.inject({
      url: '/api/action-fields/staedtepartnerschaften/matches',
      headers: alice,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().target.name).toBe('Städtepartnerschaften');
    expect(res.json().items.map((i: { callId: string }) => i.callId)).toEqual(['eu-ft:A']);
    const nope = await app.inject({ url: '/api/measures/nope-1/matches', headers: alice });
    expect(nope.statusCode).toBe(404);
    expect(nope.headers['content-type']).toContain('application/problem+json');
  });

  it('hides a call marked not relevant from that token only; the verdict can be changed; audited', async () => {
    const url = `/api/matches/${encodeURIComponent('eu-ft:B')}/${target}/feedback`;
    const first = await app.inject({
      method: 'POST',
      url,
      headers: alice,
      payload: { verdict: 'not_relevant', comment: 'Zu groß' },
    });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ verdict: 'not_relevant', comment: 'Zu groß', callId: 'eu-ft:B' });
    expect((await list(alice)).items.map((i) => i.callId)).not.toContain('eu-ft:B');
    expect((await list(bob)).items.map((i) => i.callId)).toContain('eu-ft:B');

    const again = await app.inject({ method: 'POST', url, headers: alice, payload: { verdict: 'relevant' } });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const back = (await list(alice)).items.find((i) => i.callId === 'eu-ft:B');
    expect(back?.myVerdict).toBe('relevant');

    const rows = ctx.dbh.sqlite.prepare('select count(*) as n from feedback').get() as { n: number };
    expect(rows.n).toBe(1);
    const audits = ctx.dbh.sqlite
      .prepare("select action, actor, details from audit_log where action like 'feedback.%' order by id")
      .all() as { action: string; actor: string; details: string }[];
    expect(audits.map((a) => a.action)).toEqual(['feedback.create', 'feedback.change']);
    expect(audits[1]!.actor).toMatch(/^token:\d+:test-reader$/);
    expect(JSON.parse(audits[1]!.details)).toMatchObject({ verdict: 'relevant', previous: 'not_relevant' });
  });

  it('rejects feedback on unknown calls or targets and bad verdicts, saving nothing', async () => {
    const before = (ctx.dbh.sqlite.prepare('select count(*) as n from feedback').get() as { n: number }).n;
    const unknownCall = await app.inject({
      method: 'POST',
      url: `/api/matches/eu-ft:NOPE/${target}/feedback`,
      headers: bob,
      payload: { verdict: 'relevant' },
    });
    expect(unknownCall.statusCode).toBe(404);
    const unknownTarget = await app.inject({
      method: 'POST',
      url: '/api/matches/eu-ft:A/nope/feedback',
      headers: bob,
      payload: { verdict: 'relevant' },
    });
    expect(unknownTarget.statusCode).toBe(404);
    const bad = await app.inject({
      method: 'POST',
      url: `/api/matches/eu-ft:A/${target}/feedback`,
      headers: bob,
      payload: { verdict: 'maybe', comment: 5 },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['body.comment', 'body.verdict']);
    expect((ctx.dbh.sqlite.prepare('select count(*) as n from feedback').get() as { n: number }).n).toBe(
      before,
    );
  });

  it('lets admins list feedback per target; readers get 403', async () => {
    await app.inject({
      method: 'POST',
      url: `/api/matches/eu-ft:C/${target}/feedback`,
      headers: bob,
      payload: { verdict: 'not_relevant' },
    });
    const res = await app.inject({ url: `/api/feedback?target=${target}`, headers: admin });
    expect(res.statusCode).toBe(200);
    expect(
      res
        .json()
        .items.map((f: { callId: string }) => f.callId)
        .sort(),
    ).toEqual(['eu-ft:B', 'eu-ft:C']);
    const nr = await app.inject({
      url: `/api/feedback?target=${target}&verdict=not_relevant`,
      headers: admin,
    });
    expect(nr.json().items).toHaveLength(1);
    expect((await app.inject({ url: '/api/feedback', headers: alice })).statusCode).toBe(403);
  });
});
