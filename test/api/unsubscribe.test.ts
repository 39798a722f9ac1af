import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import type { AppContext } from '../../src/context.ts';
import { createSubscriber, getSubscriber, type SubscriberRow } from '../../src/digest/subscribers.ts';
import { useTestContext } from '../helpers/context.ts';

describe('one-click unsubscribe', () => {
  const makeCtx = useTestContext();
  let app: App;
  let ctx: AppContext;
  let s: SubscriberRow;

  beforeAll(async () => {
    ctx = makeCtx();
    app = await buildApp(ctx.config, { context: ctx });
    s = createSubscriber(ctx, { name: 'Anna <b>', email: 'anna@kiel.example', actionFields: ['ostseeraum'] });
  });
  afterAll(async () => app.close());

  it('GET shows a bilingual confirmation page and changes nothing (link scanners follow GETs)', async () => {
    const r = await app.inject({ url: `/unsubscribe/${s.unsubscribeToken}` });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['content-security-policy']).toContain("default-src 'none'");
    expect(r.body).toContain('Digest abbestellen / Unsubscribe');
    expect(r.body).toContain('<strong>anna@kiel.example</strong>');
    expect(r.body).toContain('<form method="post">');
    expect(getSubscriber(ctx, s.id)?.active).toBe(true);
  });

  it('POST with the RFC 8058 body unsubscribes, needs no API token, and is repeatable', async () => {
    const r = await app.inject({
      method: 'POST',
      url: `/unsubscribe/${s.unsubscribeToken}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('erhält den Fördermittel-Digest nicht mehr');
    expect(r.body).toContain('will no longer receive');
    const after = getSubscriber(ctx, s.id);
    expect(after?.active).toBe(false);
    expect(after?.unsubscribedAt).toBeTruthy();

    const again = await app.inject({ method: 'POST', url: `/unsubscribe/${s.unsubscribeToken}` });
    expect(again.statusCode).toBe(200);
    const page = await app.inject({ url: `/unsubscribe/${s.unsubscribeToken}` });
    expect(page.body).toContain('Bereits abgemeldet');
  });

  it('answers 404 for an unknown token: a page for browsers, problem+json for programs', async () => {
    for (const method of ['GET', 'POST'] as const) {
      const page = await app.inject({
        method,
        url: '/unsubscribe/not-a-token',
        headers: { accept: 'text/html,*/*' },
      });
      expect(page.statusCode).toBe(404);
      expect(page.body).toContain('Link ungültig / Invalid link');
      const api = await app.inject({ method, url: '/unsubscribe/not-a-token' });
      expect(api.statusCode).toBe(404);
      expect(api.headers['content-type']).toContain('application/problem+json');
      expect(api.json().code).toBe('NOT_FOUND');
    }
  });
});
