import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import { upsertCall } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import type { Call } from '../../src/domain/call.ts';
import { sampleCall } from '../helpers/calls.ts';
import { authHeader, useTestContext } from '../helpers/context.ts';
import { insertMatch } from '../helpers/matches.ts';

const day = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * day).toISOString();

function call(id: string, overrides: Partial<Call> = {}): Call {
  return sampleCall({
    id: `eu-ft:${id}`,
    sourceId: id,
    identifier: id,
    title: `Generic call ${id}`,
    programme: 'Horizon Europe',
    summary: 'Support for research infrastructures.',
    description: 'Nothing special.',
    keywords: [],
    deadlines: [{ at: inDays(30), timeZone: 'Europe/Brussels', raw: 'in 30 days', stage: 'single' }],
    ...overrides,
  });
}

describe('GET /api/calls', () => {
  const makeCtx = useTestContext();
  let ctx: AppContext;
  let app: App;
  let auth: { authorization: string };

  beforeAll(async () => {
    ctx = makeCtx();
    app = await buildApp(ctx.config, { context: ctx });
    auth = authHeader(ctx);
    const db = ctx.dbh.db;
    upsertCall(
      db,
      call('CERV-2026-CITIZENS-TOWN-TT', {
        title: 'Town Twinning',
        summary: 'Exchanges between citizens of twinned towns.',
        description: 'Town twinning projects bring together citizens from different municipalities.',
        programme: 'Citizens, Equality, Rights and Values (CERV)',
        keywords: ['town twinning'],
        deadlines: [{ at: inDays(20), timeZone: 'Europe/Brussels', raw: 'x', stage: 'single' }],
      }),
    );
    upsertCall(
      db,
      call('FDB-JUGEND', {
        id: 'foerderdatenbank:jugendaustausch',
        source: 'foerderdatenbank',
        sourceId: 'jugendaustausch',
        identifier: undefined,
        language: 'de',
        title: 'Internationaler Jugendaustausch',
        summary: 'Förderung von Begegnungen junger Menschen aus Partnerstädten.',
        description: 'Gefördert werden Jugendbegegnungen, Fachkräfteaustausch und Bürgerbegegnungen.',
        programme: 'Kinder- und Jugendplan des Bundes',
        deadlines: [{ at: inDays(40), timeZone: 'Europe/Berlin', raw: 'y', stage: 'single' }],
      }),
    );
    upsertCall(
      db,
      call('HORIZON-CL5-CLIMATE', {
        title: 'Climate-neutral and smart cities',
        summary: 'Cities lead the transition to climate neutrality.',
        programme: 'Horizon Europe',
        deadlines: [{ at: inDays(10), timeZone: 'Europe/Brussels', raw: 'z', stage: 'single' }],
      }),
    );
    // Stored as open, but its only deadline has passed: the list must say closed.
    upsertCall(
      db,
      call('OLD-CLOSED', {
        title: 'An old call about twinning',
        status: 'open',
        deadlines: [{ at: inDays(-3), timeZone: 'Europe/Brussels', raw: 'past', stage: 'single' }],
      }),
    );
    upsertCall(
      db,
      call('SOON-FORTHCOMING', {
        title: 'Forthcoming call',
        status: 'open',
        openingDate: inDays(5),
        deadlines: [{ at: inDays(60), timeZone: 'Europe/Brussels', raw: 'later', stage: 'single' }],
      }),
    );
    upsertCall(db, call('NO-DEADLINE', { title: 'Open-ended call', deadlines: [] }));
    insertMatch(ctx, {
      callId: 'eu-ft:CERV-2026-CITIZENS-TOWN-TT',
      target: 'staedtepartnerschaften',
      score: 92,
    });
    insertMatch(ctx, {
      callId: 'foerderdatenbank:jugendaustausch',
      target: 'staedtepartnerschaften',
      score: 55,
    });
    insertMatch(ctx, {
      callId: 'eu-ft:HORIZON-CL5-CLIMATE',
      target: 'staedtepartnerschaften',
      score: 70,
      eligibility: 'unclear',
    });
    insertMatch(ctx, {
      callId: 'eu-ft:OLD-CLOSED',
      target: 'staedtepartnerschaften',
      score: 40,
      eligibility: 'excluded',
    });
  });
  afterAll(async () => app.close());

  const get = async (qs: string) => {
    const res = await app.inject({ url: `/api/calls${qs}`, headers: auth });
    return res;
  };
  const ids = (res: { json(): { items: { id: string }[] } }) => res.json().items.map((i) => i.id);

  it('needs a token', async () => {
    const res = await app.inject({ url: '/api/calls' });
    expect(res.statusCode).toBe(401);
  });

  it('finds the English town-twinning call with the German word, ranked first', async () => {
    const res = await get(`?q=${encodeURIComponent('Städtepartnerschaft')}`);
    expect(res.statusCode).toBe(200);
    const found = ids(res);
    expect(found[0]).toBe('eu-ft:CERV-2026-CITIZENS-TOWN-TT');
    expect(res.json().items[0].relevance).toBeGreaterThan(0);
  });

  it('is diacritics-insensitive, stems, forgives a typo and completes the last word', async () => {
    expect(ids(await get('?q=Jugendbegegnung'))).toContain('foerderdatenbank:jugendaustausch');
    expect(ids(await get('?q=burgerbegegnungen'))).toContain('foerderdatenbank:jugendaustausch');
    expect(ids(await get('?q=twinned'))[0]).toBe('eu-ft:CERV-2026-CITIZENS-TOWN-TT');
    expect(ids(await get('?q=citizns'))).toContain('eu-ft:CERV-2026-CITIZENS-TOWN-TT');
    expect(ids(await get('?q=Jugendbegenungen'))).toContain('foerderdatenbank:jugendaustausch');
    expect(ids(await get('?q=climate%20neutr'))[0]).toBe('eu-ft:HORIZON-CL5-CLIMATE');
    expect(ids(await get('?q=zzzqqq'))).toEqual([]);
  });

  it('computes status from the dates at request time, not the stored status', async () => {
    expect(ids(await get('?status=closed'))).toEqual(['eu-ft:OLD-CLOSED']);
    expect(ids(await get('?status=forthcoming'))).toEqual(['eu-ft:SOON-FORTHCOMING']);
    expect(ids(await get('?status=open-ended'))).toEqual(['eu-ft:NO-DEADLINE']);
    const open = ids(await get('?status=open'));
    expect(open).not.toContain('eu-ft:OLD-CLOSED');
    expect(open).toContain('eu-ft:CERV-2026-CITIZENS-TOWN-TT');
    const detail = await app.inject({ url: '/api/calls/eu-ft:OLD-CLOSED', headers: auth });
    expect(detail.json().status).toBe('closed');
  });

  it('filters by source, programme and deadline window', async () => {
    expect(ids(await get('?source=foerderdatenbank'))).toEqual(['foerderdatenbank:jugendaustausch']);
    expect(ids(await get('?programme=cerv'))).toEqual(['eu-ft:CERV-2026-CITIZENS-TOWN-TT']);
    const from = inDays(15).slice(0, 10);
    const to = inDays(45).slice(0, 10);
    expect(ids(await get(`?deadlineFrom=${from}&deadlineTo=${to}&sort=deadline`))).toEqual([
      'eu-ft:CERV-2026-CITIZENS-TOWN-TT',
      'foerderdatenbank:jugendaustausch',
    ]);
  });

  it('filters by action field, score and eligibility from the matches', async () => {
    const field = ids(await get('?actionField=staedtepartnerschaften'));
    expect(new Set(field)).toEqual(
      new Set([
        'eu-ft:CERV-2026-CITIZENS-TOWN-TT',
        'foerderdatenbank:jugendaustausch',
        'eu-ft:HORIZON-CL5-CLIMATE',
      ]),
    );
    expect(new Set(ids(await get('?actionField=staedtepartnerschaften&minScore=60')))).toEqual(
      new Set(['eu-ft:CERV-2026-CITIZENS-TOWN-TT', 'eu-ft:HORIZON-CL5-CLIMATE']),
    );
    const eligible = await get('?actionField=staedtepartnerschaften&minScore=60&eligibleOnly=true');
    expect(ids(eligible)).toEqual(['eu-ft:CERV-2026-CITIZENS-TOWN-TT']);
    expect(eligible.json().items[0].match).toMatchObject({ target: 'staedtepartnerschaften', score: 92 });
    const unknown = await get('?actionField=nope');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].path).toBe('querystring.actionField');
  });

  it('sorts by deadline (none ahead last) and by newest', async () => {
    const byDeadline = ids(await get('?sort=deadline'));
    expect(byDeadline.slice(0, 3)).toEqual([
      'eu-ft:HORIZON-CL5-CLIMATE',
      'eu-ft:CERV-2026-CITIZENS-TOWN-TT',
      'foerderdatenbank:jugendaustausch',
    ]);
    expect(byDeadline.slice(-2).sort()).toEqual(['eu-ft:NO-DEADLINE', 'eu-ft:OLD-CLOSED']);
    const res = await get('?sort=newest');
    expect(res.json().total).toBe(6);
  });

  it('lists every field invalid in one 400 problem', async () => {
    const res = await get('?status=bogus&limit=0&deadlineFrom=yesterday&sort=random');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const paths = res.json().errors.map((e: { path: string }) => e.path);
    for (const p of ['status', 'limit', 'deadlineFrom', 'sort']) expect(paths).toContain(`querystring.${p}`);
  });
});

describe('GET /api/calls pagination', () => {
  const makeCtx = useTestContext();
  let ctx: AppContext;
  let app: App;
  let auth: { authorization: string };

  beforeAll(async () => {
    ctx = makeCtx();
    app = await buildApp(ctx.config, { context: ctx });
    auth = authHeader(ctx);
    for (let i = 0; i < 25; i++) {
      upsertCall(
        ctx.dbh.db,
        call(`P-${String(i).padStart(2, '0')}`, {
          title: `Partnership call ${i}`,
          deadlines: [{ at: inDays(5 + (i % 7)), timeZone: 'Europe/Brussels', raw: 'x', stage: 'single' }],
        }),
        { now: new Date(Date.now() - (25 - i) * 60_000) },
      );
    }
  });
  afterAll(async () => app.close());

  async function walk(qs: string, between?: () => void): Promise<string[]> {
    const seen: string[] = [];
    let url: string | null = `/api/calls?${qs}&limit=10`;
    let pages = 0;
    while (url) {
      const res = await app.inject({ url, headers: auth });
      expect(res.statusCode).toBe(200);
      const body = res.json() as { items: { id: string }[]; next: string | null };
      seen.push(...body.items.map((i) => i.id));
      url = body.next;
      if (pages++ === 0) between?.();
    }
    return seen;
  }

  for (const sort of ['newest', 'deadline', 'relevance'] as const) {
    it(`sort=${sort}: inserts between pages neither repeat nor skip a call`, async () => {
      const before = await walk(`sort=${sort}&q=partnership`);
      expect(before.length).toBeGreaterThanOrEqual(25);
      expect(new Set(before).size).toBe(before.length);
      let n = 0;
      const during = await walk(`sort=${sort}&q=partnership`, () => {
        for (let i = 0; i < 5; i++) {
          upsertCall(ctx.dbh.db, call(`NEW-${sort}-${n++}`, { title: 'Partnership call, new' }));
        }
      });
      expect(new Set(during).size).toBe(during.length);
      for (const id of before) expect(during).toContain(id);
    });
  }

  it('rejects a forged cursor and one from another query with 400 problem+json', async () => {
    const first = await app.inject({ url: '/api/calls?sort=newest&limit=5', headers: auth });
    const cursor = new URL(first.json().next, 'http://x').searchParams.get('cursor')!;
    const other = await app.inject({
      url: `/api/calls?sort=deadline&limit=5&cursor=${cursor}`,
      headers: auth,
    });
    expect(other.statusCode).toBe(400);
    expect(other.json().code).toBe('VALIDATION_FAILED');
    const forged = await app.inject({ url: '/api/calls?cursor=not-a-cursor', headers: auth });
    expect(forged.statusCode).toBe(400);
    expect(forged.headers['content-type']).toContain('application/problem+json');
  });
});
