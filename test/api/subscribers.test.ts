import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import type { AppContext } from '../../src/context.ts';
import { authHeader, useTestContext } from '../helpers/context.ts';

describe('/api/subscribers (admin)', () => {
  const makeCtx = useTestContext();
  let app: App;
  let ctx: AppContext;
  let admin: { authorization: string };

  beforeAll(async () => {
    ctx = makeCtx();
    app = await buildApp(ctx.config, { context: ctx });
    admin = authHeader(ctx, 'admin');
  });
  afterAll(async () => app.close());

  it('creates, reads, lists, changes and deletes a subscriber, without exposing the unsubscribe token', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/subscribers',
      headers: admin,
      payload: {
        name: 'Anna',
        email: 'Anna@Kiel.example',
        actionFields: ['ostseeraum'],
        measures: ['hochschulen-1'],
      },
    });
    expect(created.statusCode).toBe(201);
    const s = created.json();
    expect(s).toMatchObject({
      name: 'Anna',
      email: 'anna@kiel.example',
      language: 'de',
      cadence: 'weekly',
      minScore: 40,
      active: true,
      actionFields: ['ostseeraum'],
      measures: ['hochschulen-1'],
    });
    expect(s).not.toHaveProperty('unsubscribeToken');
    expect(JSON.stringify(s)).not.toMatch(/unsubscribeToken|[A-Za-z0-9_-]{32}/);

    const one = await app.inject({ url: `/api/subscribers/${s.id}`, headers: admin });
    expect(one.json().email).toBe('anna@kiel.example');

    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/subscribers/${s.id}`,
      headers: admin,
      payload: { language: 'en', cadence: 'daily', minScore: 55 },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ language: 'en', cadence: 'daily', minScore: 55 });

    const list = await app.inject({ url: '/api/subscribers', headers: admin });
    expect(list.json().items.map((x: { id: number }) => x.id)).toEqual([s.id]);

    const del = await app.inject({ method: 'DELETE', url: `/api/subscribers/${s.id}`, headers: admin });
    expect(del.statusCode).toBe(204);
    const gone = await app.inject({ url: `/api/subscribers/${s.id}`, headers: admin });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().code).toBe('NOT_FOUND');
  });

  it('rejects unknown action fields and measures, bad emails and duplicates with problem+json', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/subscribers',
      headers: admin,
      payload: {
        name: 'X',
        email: 'x@kiel.example',
        actionFields: ['ostseeraum', 'mars'],
        measures: ['ostseeraum-99'],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().errors).toEqual([
      { path: 'actionFields.1', message: 'unknown action field "mars"' },
      { path: 'measures.0', message: 'unknown measure "ostseeraum-99"' },
    ]);

    const nothing = await app.inject({
      method: 'POST',
      url: '/api/subscribers',
      headers: admin,
      payload: { name: 'X', email: 'x@kiel.example' },
    });
    expect(nothing.statusCode).toBe(400);
    expect(nothing.json().errors[0].message).toContain('at least one');

    const email = await app.inject({
      method: 'POST',
      url: '/api/subscribers',
      headers: admin,
      payload: { name: 'X', email: 'not-an-address', actionFields: ['ostseeraum'], language: 'fr' },
    });
    expect(email.statusCode).toBe(400);
    expect(
      email
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['body.email', 'body.language']);

    const payload = { name: 'D', email: 'd@kiel.example', actionFields: ['ostseeraum'] };
    expect(
      (await app.inject({ method: 'POST', url: '/api/subscribers', headers: admin, payload })).statusCode,
    ).toBe(201);
    const dup = await app.inject({ method: 'POST', url: '/api/subscribers', headers: admin, payload });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('CONFLICT');
  });

  it('is for admins only', async () => {
    expect((await app.inject({ url: '/api/subscribers' })).statusCode).toBe(401);
    expect(
      (await app.inject({ url: '/api/subscribers', headers: authHeader(ctx, 'reader') })).statusCode,
    ).toBe(403);
    expect((await app.inject({ url: '/api/digests', headers: authHeader(ctx, 'reader') })).statusCode).toBe(
      403,
    );
  });
});
