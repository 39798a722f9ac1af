import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import { upsertCall } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import { programmeFamily } from '../../src/coverage/family.ts';
import { type CoverageReport, coverageReport } from '../../src/coverage/report.ts';
import type { Call } from '../../src/domain/call.ts';
import { createPursuit } from '../../src/pursuits/create.ts';
import { movePursuit } from '../../src/pursuits/move.ts';
import { sampleCall } from '../helpers/calls.ts';
import { useTestContext } from '../helpers/context.ts';
import { insertMatch } from '../helpers/matches.ts';
import { principal } from '../helpers/pursuits.ts';

// The API reads the clock, so the fixture is laid out around the real now.
const now = new Date();
const day = 86_400_000;
const dl = (days: number, hour = 'T15:00:00.000Z') => {
  const at = `${new Date(now.getTime() + days * day).toISOString().slice(0, 10)}${hour}`;
  return { at, timeZone: 'Europe/Brussels', raw: at, stage: 'single' as const };
};

/**
 * A realistic slice of the city's calls, each figure below worked out by hand:
 * A CERV town twinning, open, 1.0 M EUR     → staedtepartnerschaften-1 (72, eligible), -2 (55, unclear)
 * B Interreg BSR, open (nearest), 2.5 M EUR → ostseeraum-1 (64, eligible), staedtepartnerschaften-1 (58, eligible)
 * C Interreg South Baltic, forthcoming      → ostseeraum-1 (81, unclear), ostseeraum-2 (29: below 30)
 * D Horizon Europe EIC, closed 100 days ago → wirtschaft-1 (90)
 * E Förderdatenbank, closed 400 days ago    → wirtschaft-2 (70): outside 12 months
 * F SKEW Nakopa, open-ended, 300,000 EUR    → agenda-2030-1 (45, excluded), agenda-2030-2 (40, eligible)
 */
const calls: (Partial<Call> & { id: string })[] = [
  {
    id: 'eu-ft:A',
    title: 'Town Twinning',
    programme: 'Citizens, Equality, Rights and Values (CERV)',
    deadlines: [dl(30)],
    budget: { currency: 'EUR', total: 1_000_000 },
  },
  {
    id: 'interreg:B',
    source: 'interreg',
    title: 'Baltic cooperation',
    programme: 'Interreg Baltic Sea Region 2021-2027',
    deadlines: [dl(10, 'T10:00:00.000Z')],
    budget: { currency: 'EUR', total: 2_500_000 },
  },
  {
    id: 'interreg:C',
    source: 'interreg',
    title: 'Small projects',
    programme: 'Interreg South Baltic 2021-2027',
    openingDate: new Date(now.getTime() + 20 * day).toISOString(),
    deadlines: [dl(90)],
  },
  {
    id: 'eu-ft:D',
    title: 'EIC Pathfinder',
    programme: 'Horizon Europe – European Innovation Council',
    deadlines: [dl(-100)],
  },
  {
    id: 'foerderdatenbank:E',
    source: 'foerderdatenbank',
    title: 'Alte Förderung',
    programme: undefined,
    deadlines: [dl(-400)],
  },
  {
    id: 'skew:F',
    source: 'skew',
    title: 'Nakopa',
    programme: 'Nachhaltige Kommunalentwicklung durch Partnerschaftsprojekte (Nakopa)',
    deadlines: [],
    budget: { currency: 'EUR', total: 300_000 },
  },
];
const fits: [string, string, number, 'eligible' | 'unclear' | 'excluded'][] = [
  ['eu-ft:A', 'staedtepartnerschaften-1', 72, 'eligible'],
  ['eu-ft:A', 'staedtepartnerschaften-2', 55, 'unclear'],
  ['eu-ft:A', 'staedtepartnerschaften', 70, 'eligible'],
  ['interreg:B', 'ostseeraum-1', 64, 'eligible'],
  ['interreg:B', 'staedtepartnerschaften-1', 58, 'eligible'],
  ['interreg:B', 'ostseeraum', 60, 'eligible'],
  ['interreg:C', 'ostseeraum-1', 81, 'unclear'],
  ['interreg:C', 'ostseeraum-2', 29, 'eligible'],
  ['eu-ft:D', 'wirtschaft-1', 90, 'eligible'],
  ['foerderdatenbank:E', 'wirtschaft-2', 70, 'eligible'],
  ['skew:F', 'agenda-2030-1', 45, 'excluded'],
  ['skew:F', 'agenda-2030-2', 40, 'eligible'],
];

describe('coverage report on a realistic fixture, figures computed by hand', () => {
  const makeCtx = useTestContext();
  let ctx: AppContext;
  let app: App;
  let r: CoverageReport;
  let reader: ReturnType<typeof principal>;
  const m = (id: string) => r.measures.find((x) => x.measureId === id)!;

  beforeAll(async () => {
    ctx = makeCtx();
    for (const c of calls)
      upsertCall(ctx.dbh.db, sampleCall({ sourceId: c.id.split(':')[1]!, source: 'eu-ft', ...c }), {
        now: new Date(now.getTime() - 500 * day),
      });
    for (const [callId, target, score, eligibility] of fits)
      insertMatch(ctx, { callId, target, score, eligibility });
    reader = principal(ctx, 'Reader');
    const owner = principal(ctx, 'Olga');
    const p1 = createPursuit(
      ctx,
      owner,
      {
        callId: 'eu-ft:A',
        measures: ['staedtepartnerschaften-1', 'ostseeraum-1'],
        ownerEmail: 'olga@kiel.example',
        amountApplied: 80_000,
      },
      now,
    ).id;
    const p2 = createPursuit(
      ctx,
      owner,
      {
        callId: 'interreg:B',
        measures: ['ostseeraum-1'],
        ownerEmail: 'olga@kiel.example',
        amountApplied: 50_000,
      },
      now,
    ).id;
    const p3 = createPursuit(
      ctx,
      owner,
      { callId: 'eu-ft:D', measures: ['wirtschaft-1'], ownerEmail: 'olga@kiel.example' },
      now,
    ).id;
    for (const status of ['in_pruefung', 'antrag_in_vorbereitung', 'eingereicht'] as const) {
      movePursuit(ctx, owner, p1, { status }, now);
      movePursuit(ctx, owner, p2, { status }, now);
    }
    movePursuit(ctx, owner, p2, { status: 'bewilligt', amountGranted: 45_000 }, now);
    movePursuit(ctx, owner, p3, { status: 'verworfen' }, now);
    r = coverageReport(ctx, { now });
    app = await buildApp(ctx.config, { context: ctx });
  });
  afterAll(async () => app.close());

  it('uses the ranked lists’ threshold and counts 55 of 60 measures as funding gaps, listed first', () => {
    expect(r.threshold).toBe(30);
    expect(r.measures).toHaveLength(60);
    expect(r.gaps).toBe(55);
    expect(r.measures.slice(0, 55).every((x) => x.gap)).toBe(true);
    expect(r.measures[0]?.measureId).toBe('staedtepartnerschaften-3');
    expect(r.measures.slice(55).map((x) => x.measureId)).toEqual([
      'staedtepartnerschaften-1',
      'staedtepartnerschaften-2',
      'ostseeraum-1',
      'wirtschaft-1',
      'agenda-2030-2',
    ]);
    // Below the threshold, outside 12 months, or excluded: still a gap.
    expect([m('ostseeraum-2').gap, m('wirtschaft-2').gap, m('agenda-2030-1').gap]).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('gives per measure the open fitting calls, the best, the nearest deadline and the budgets', () => {
    expect(m('staedtepartnerschaften-1')).toMatchObject({
      gap: false,
      fittingLast12Months: 2,
      openCalls: 2,
      best: { callId: 'eu-ft:A', score: 72 },
      nearestDeadline: { callId: 'interreg:B', at: dl(10, 'T10:00:00.000Z').at },
      budgetTotal: 3_500_000,
      budgetCalls: 2,
    });
    // Eligible before unclear, whatever the score; a forthcoming call counts as open.
    expect(m('ostseeraum-1')).toMatchObject({
      openCalls: 2,
      best: { callId: 'interreg:B', score: 64 },
      nearestDeadline: { callId: 'interreg:B' },
      budgetTotal: 2_500_000,
      budgetCalls: 1,
    });
    expect(m('wirtschaft-1')).toMatchObject({
      gap: false,
      fittingLast12Months: 1,
      openCalls: 0,
      best: null,
      nearestDeadline: null,
      budgetTotal: 0,
    });
    expect(m('agenda-2030-2')).toMatchObject({
      openCalls: 1,
      best: { callId: 'skew:F' },
      nearestDeadline: null,
      budgetTotal: 300_000,
    });
  });

  it('adds the pursuits by status with the amounts applied and granted', () => {
    expect(m('ostseeraum-1').pursuits).toMatchObject({
      eingereicht: { count: 1, applied: 80_000, granted: 0 },
      bewilligt: { count: 1, applied: 50_000, granted: 45_000 },
      beobachtet: { count: 0, applied: 0, granted: 0 },
    });
    expect(m('staedtepartnerschaften-1').pursuits.eingereicht).toEqual({
      count: 1,
      applied: 80_000,
      granted: 0,
    });
    expect(m('wirtschaft-1').pursuits.verworfen).toEqual({ count: 1, applied: 0, granted: 0 });
  });

  it('counts fitting calls per programme family and action field', () => {
    expect(r.families).toEqual([
      { family: 'Interreg', calls: 2, fields: { staedtepartnerschaften: 1, ostseeraum: 2 } },
      { family: 'CERV', calls: 1, fields: { staedtepartnerschaften: 1 } },
      { family: 'Horizon Europe', calls: 1, fields: { wirtschaft: 1 } },
      { family: 'Nakopa', calls: 1, fields: { 'agenda-2030': 1 } },
    ]);
  });

  it('names programme families from the programme’s wording', () => {
    expect(programmeFamily('Interreg North Sea 2021-2027', 'interreg')).toBe('Interreg');
    expect(programmeFamily('Horizon Europe – Marie Skłodowska-Curie Actions', 'eu-ft')).toBe(
      'Horizon Europe',
    );
    expect(programmeFamily('Deutsch-Französischer Bürgerfonds (DFJW)', 'import')).toBe('DFJW');
    expect(programmeFamily('Erasmus+ 2021-2027', 'eu-ft')).toBe('Erasmus+');
    expect(programmeFamily(undefined, 'foerderdatenbank')).toBe('Förderdatenbank');
  });

  it('serves JSON and CSV to readers, nothing without a token', async () => {
    const h = { authorization: `Bearer ${reader.token}` };
    expect((await app.inject({ url: '/api/coverage' })).statusCode).toBe(401);
    const json = await app.inject({ url: '/api/coverage', headers: h });
    expect(json.statusCode).toBe(200);
    expect(json.json()).toMatchObject({ gaps: 55, threshold: 30 });
    // A stricter threshold turns staedtepartnerschaften-2 (55) and agenda-2030-2 (40) into gaps.
    expect((await app.inject({ url: '/api/coverage?minScore=60', headers: h })).json().gaps).toBe(57);
    const csv = await app.inject({ url: '/api/coverage.csv', headers: h });
    const rows = parse(csv.body, { bom: true, delimiter: ';' }) as string[][];
    expect(rows).toHaveLength(61);
    const os1 = rows.find((x) => x[1] === 'ostseeraum-1')!;
    expect(os1.slice(3, 12)).toEqual([
      '',
      '2',
      '2',
      'interreg:B',
      'Baltic cooperation',
      '64',
      dl(10, 'T10:00:00.000Z').at,
      '2500000',
      '1',
    ]);
    expect(os1.slice(-2)).toEqual(['130000', '45000']);
    const fam = parse((await app.inject({ url: '/api/coverage.csv?view=families', headers: h })).body, {
      bom: true,
      delimiter: ';',
    }) as string[][];
    expect(fam[1]?.slice(0, 4)).toEqual(['Interreg', '2', '1', '0']);
    expect((await app.inject({ url: '/api/coverage.csv?view=nope', headers: h })).statusCode).toBe(400);
  });
});
