import ical, { type VEvent } from 'node-ical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import { upsertCall } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import { createPursuit } from '../../src/pursuits/create.ts';
import { movePursuit } from '../../src/pursuits/move.ts';
import { sampleCall } from '../helpers/calls.ts';
import { useTestContext } from '../helpers/context.ts';
import { principal } from '../helpers/pursuits.ts';

const events = (text: string) =>
  Object.values(ical.sync.parseICS(text)).filter((c): c is VEvent => c?.type === 'VEVENT');

describe('the calendar feed carries pursuits not yet submitted', () => {
  const makeCtx = useTestContext();
  let ctx: AppContext;
  let app: App;
  let anna: ReturnType<typeof principal>;
  let ben: ReturnType<typeof principal>;
  let annas: number;
  let bens: number;
  const at = '2027-03-11T16:00:00.000Z';
  beforeAll(async () => {
    ctx = makeCtx({ PUBLIC_BASE_URL: 'https://foerdermatch.example.org' });
    app = await buildApp(ctx.config, { context: ctx });
    anna = principal(ctx, 'Anna');
    ben = principal(ctx, 'Ben');
    upsertCall(
      ctx.dbh.db,
      sampleCall({
        deadlines: [{ at, timeZone: 'Europe/Brussels', raw: '11 March 2027 17:00', stage: 'single' }],
      }),
    );
    annas = createPursuit(ctx, anna, {
      callId: sampleCall().id,
      measures: ['ostseeraum-1'],
      ownerEmail: 'anna@kiel.example',
    }).id;
    bens = createPursuit(ctx, ben, {
      callId: sampleCall().id,
      measures: ['wirtschaft-1'],
      ownerEmail: 'ben@kiel.example',
    }).id;
    // No match rows: the call itself is not in the feed, only the pursuits' events.
  });
  afterAll(async () => app.close());

  const get = async (q: string, who = anna) =>
    events((await app.inject({ url: `/api/calendar.ics?token=${who.token}${q}` })).body).filter((e) =>
      String(e.uid).startsWith('pursuit-'),
    );

  it('adds one event per deadline with the status, owner and reminder alarms', async () => {
    const all = await get('');
    expect(all.map((e) => e.uid).sort()).toEqual([
      `pursuit-${annas}-deadline-0@foerdermatch.example.org`,
      `pursuit-${bens}-deadline-0@foerdermatch.example.org`,
    ]);
    const e = all.find((x) => x.uid === `pursuit-${annas}-deadline-0@foerdermatch.example.org`)!;
    expect(e.summary).toBe('Vorhaben / Pursuit: Town Twinning – beobachtet');
    expect(e.start.toISOString()).toBe(at);
    expect(e.description).toContain('Verantwortlich / owner: Anna');
    expect(e.description).toContain(`https://foerdermatch.example.org/api/pursuits/${annas}`);
    const raw = (await app.inject({ url: `/api/calendar.ics?token=${anna.token}` })).body;
    for (const trigger of ['-P28D', '-P7D', '-P2D']) expect(raw).toContain(`TRIGGER:${trigger}`);
  });

  it('filters to the token’s own pursuits, to measures, or leaves them out', async () => {
    expect((await get('&pursuits=mine', ben)).map((e) => e.uid)).toEqual([
      `pursuit-${bens}-deadline-0@foerdermatch.example.org`,
    ]);
    expect((await get('&actionField=ostseeraum')).map((e) => e.uid)).toEqual([
      `pursuit-${annas}-deadline-0@foerdermatch.example.org`,
    ]);
    expect(await get('&pursuits=none')).toEqual([]);
    expect(
      (await app.inject({ url: `/api/calendar.ics?token=${anna.token}&pursuits=some` })).statusCode,
    ).toBe(400);
  });

  it('drops a pursuit once it is submitted', async () => {
    for (const status of ['in_pruefung', 'antrag_in_vorbereitung', 'eingereicht'] as const)
      movePursuit(ctx, anna, annas, { status });
    expect((await get('')).map((e) => e.uid)).toEqual([
      `pursuit-${bens}-deadline-0@foerdermatch.example.org`,
    ]);
  });
});
