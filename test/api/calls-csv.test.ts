import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import { upsertCall } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import { sampleCall } from '../helpers/calls.ts';
import { authHeader, useTestContext } from '../helpers/context.ts';
import { insertMatch } from '../helpers/matches.ts';

describe('GET /api/calls.csv', () => {
  const makeCtx = useTestContext();
  let app: App;
  let ctx: AppContext;
  let reader: { authorization: string };

  beforeAll(async () => {
    ctx = makeCtx({ PUBLIC_BASE_URL: 'https://fm.example.org' });
    app = await buildApp(ctx.config, { context: ctx });
    reader = authHeader(ctx, 'reader');
    const ahead = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
    const calls = [
      ['A', 'Städtepartnerschaften stärken', 30, 80],
      ['B', '=cmd|"/c calc"!A1 Baltic', 10, 60],
      ['C', 'Ostsee-Jugendaustausch', 50, 45],
      ['D', 'Unrelated', 20, 0],
    ] as const;
    for (const [id, title, days, score] of calls) {
      upsertCall(
        ctx.dbh.db,
        sampleCall({
          id: `eu-ft:${id}`,
          sourceId: id,
          title,
          deadlines: [{ at: ahead(days), timeZone: 'Europe/Brussels', raw: 'x', stage: 'single' }],
        }),
      );
      if (score > 0) insertMatch(ctx, { callId: `eu-ft:${id}`, target: 'ostseeraum', score });
    }
  });
  afterAll(async () => app.close());

  it('exports the same calls in the same order as /api/calls, as UTF-8 CSV with BOM for Excel', async () => {
    const query = 'actionField=ostseeraum&minScore=50&sort=deadline';
    const list = await app.inject({ url: `/api/calls?${query}`, headers: reader });
    expect(list.statusCode).toBe(200);
    const ids = list.json().items.map((i: { id: string }) => i.id);
    expect(ids).toEqual(['eu-ft:B', 'eu-ft:A']);

    const res = await app.inject({ url: `/api/calls.csv?${query}`, headers: reader });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="foerdermatch-calls-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows: string[][] = parse(res.body, { bom: true, delimiter: ';' });
    expect(rows[0]?.[0]).toBe('ID');
    expect(rows.slice(1).map((r) => r[0])).toEqual(ids);
    expect(rows[1]?.[1]).toBe('\'=cmd|"/c calc"!A1 Baltic');
    expect(rows[2]?.[1]).toBe('Städtepartnerschaften stärken');
    const score = rows[0]?.indexOf('Passung / Score') ?? -1;
    expect(rows.slice(1).map((r) => r[score])).toEqual(['60', '80']);

    const comma = await app.inject({ url: `/api/calls.csv?${query}&delimiter=comma`, headers: reader });
    expect((parse(comma.body, { bom: true }) as string[][]).slice(1).map((r) => r[0])).toEqual(ids);
  });

  it('needs a token and rejects bad filters like /api/calls does', async () => {
    expect((await app.inject({ url: '/api/calls.csv' })).statusCode).toBe(401);
    const bad = await app.inject({ url: '/api/calls.csv?status=nope&delimiter=tab', headers: reader });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['querystring.delimiter', 'querystring.status']);
  });
});
