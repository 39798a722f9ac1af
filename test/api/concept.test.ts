import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import { authHeader, useTestContext } from '../helpers/context.ts';

describe('concept endpoints', () => {
  const makeCtx = useTestContext();
  let app: App;
  let headers: { authorization: string };

  beforeAll(async () => {
    const ctx = makeCtx();
    app = await buildApp(ctx.config, { context: ctx });
    headers = authHeader(ctx);
  });
  afterAll(async () => app.close());

  it('GET /health answers ok', async () => {
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('GET /api/action-fields lists the 12 fields in order with German names', async () => {
    const res = await app.inject({ method: 'GET', headers, url: '/api/action-fields' });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { key: string; name: string; measureCount: number }[];
    expect(items).toHaveLength(12);
    expect(items[0]).toMatchObject({
      key: 'staedtepartnerschaften',
      name: 'Städtepartnerschaften',
      measureCount: 3,
    });
    expect(items[11]!.key).toBe('agenda-2030');
  });

  it('GET /api/action-fields/:key includes its measures', async () => {
    const res = await app.inject({ method: 'GET', headers, url: '/api/action-fields/ostseeraum' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.measures).toHaveLength(5);
    expect(body.measures[0]).toEqual({
      id: 'ostseeraum-1',
      actionField: 'ostseeraum',
      number: 1,
      text: 'Zur Umsetzung der EU-Ostseestrategie beitragen.',
    });
  });

  it('GET /api/measures/:id returns one measure', async () => {
    const res = await app.inject({ method: 'GET', headers, url: '/api/measures/wirtschaft-4' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: 'wirtschaft-4', actionFieldName: 'Wirtschaft' });
  });

  it('answers unknown keys and routes with problem+json and a stable code', async () => {
    for (const [url, code] of [
      ['/api/action-fields/mars', 'NOT_FOUND'],
      ['/api/measures/ostseeraum-99', 'NOT_FOUND'],
      ['/api/nothing-here', 'ROUTE_NOT_FOUND'],
    ] as const) {
      const res = await app.inject({ method: 'GET', url, headers });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ status: 404, code, instance: url });
    }
  });

  it('serves an OpenAPI 3.1 document', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/action-fields', '/api/measures/{id}']),
    );
  });
});
