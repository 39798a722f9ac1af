import { afterAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import { authHeader, useTestContext } from '../helpers/context.ts';

describe('security headers, CORS, rate limit, body limit', () => {
  const makeCtx = useTestContext();
  const apps: App[] = [];
  const build = async (env: NodeJS.ProcessEnv = {}) => {
    const ctx = makeCtx(env);
    const app = await buildApp(ctx.config, { context: ctx });
    apps.push(app);
    return { ctx, app };
  };
  afterAll(async () => {
    for (const a of apps) await a.close();
  });

  it('sends security headers and keeps the docs working', async () => {
    const { ctx, app } = await build();
    const res = await app.inject({ url: '/api/action-fields', headers: authHeader(ctx) });
    // API answers are data: the OWASP REST set, with a CSP that allows nothing.
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['x-xss-protection']).toBeUndefined();
    expect(res.headers['cross-origin-resource-policy']).toBeUndefined();
    // Refused requests carry them too.
    const refused = await app.inject({ url: '/api/action-fields' });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['content-security-policy']).toBe(res.headers['content-security-policy']);

    // Pages get helmet's full set, with a CSP Swagger UI can run under.
    const docs = await app.inject({ url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-security-policy']).toContain("default-src 'self'");
    expect(docs.headers['x-content-type-options']).toBe('nosniff');
    expect(docs.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(docs.body).toContain('swagger');
    // Every script the page loads comes from our own origin, as the CSP demands.
    const scripts = [...docs.body.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      expect(src).not.toMatch(/^https?:/);
      const asset = await app.inject({ url: new URL(src, 'http://x/docs/').pathname });
      expect(asset.statusCode).toBe(200);
    }
    expect(docs.body).not.toMatch(/<script>(?!\s*<\/script>)/);
  });

  it('sends no CORS headers unless origins are configured', async () => {
    const { app } = await build();
    const off = await app.inject({ url: '/health', headers: { origin: 'https://intranet.kiel.de' } });
    expect(off.headers['access-control-allow-origin']).toBeUndefined();

    const { app: withCors } = await build({ CORS_ORIGINS: 'https://intranet.kiel.de' });
    const allowed = await withCors.inject({
      url: '/health',
      headers: { origin: 'https://intranet.kiel.de' },
    });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://intranet.kiel.de');
    const api = await withCors.inject({
      url: '/api/action-fields',
      headers: { origin: 'https://intranet.kiel.de' },
    });
    expect(api.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const other = await withCors.inject({ url: '/health', headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await withCors.inject({
      method: 'OPTIONS',
      url: '/api/calls',
      headers: {
        origin: 'https://intranet.kiel.de',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.statusCode).toBe(204);
  });

  it('limits requests per token with 429 problem+json; other tokens and probes are unaffected', async () => {
    const { ctx, app } = await build({ RATE_LIMIT_PER_MINUTE: '3' });
    const a = authHeader(ctx);
    const b = authHeader(ctx);
    const codes: number[] = [];
    for (let i = 0; i < 4; i++)
      codes.push((await app.inject({ url: '/api/action-fields', headers: a })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    const limited = await app.inject({ url: '/api/action-fields', headers: a });
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(limited.json().code).toBe('RATE_LIMITED');
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await app.inject({ url: '/api/action-fields', headers: b })).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await app.inject({ url: '/health' })).statusCode).toBe(200);
  });

  it('rejects a body over the limit with 413 problem+json', async () => {
    const { ctx, app } = await build({ BODY_LIMIT_BYTES: '2048' });
    const res = await app.inject({
      method: 'POST',
      url: '/api/matches/eu-ft:X/staedtepartnerschaften/feedback',
      headers: { ...authHeader(ctx), 'content-type': 'application/json' },
      payload: JSON.stringify({ verdict: 'relevant', comment: 'x'.repeat(5000) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('PAYLOAD_TOO_LARGE');
  });
});
