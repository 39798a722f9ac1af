import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { AuthFailureLimiter, addressKey } from '../../src/api/auth-failures.ts';
import { type App, buildApp } from '../../src/app.ts';
import { createToken } from '../../src/auth/tokens.ts';
import { authHeader, useTestContext } from '../helpers/context.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request over real HTTP, path sent as given. */
function send(port: number, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'GET', path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('rate limits over HTTP', () => {
  const makeCtx = useTestContext();
  const apps: App[] = [];
  afterAll(async () => {
    for (const a of apps) await a.close();
  });
  const serve = async (env: NodeJS.ProcessEnv) => {
    const ctx = makeCtx(env);
    const app = await buildApp(ctx.config, { context: ctx });
    apps.push(app);
    await app.listen({ host: '127.0.0.1', port: 0 });
    return { ctx, port: (app.server.address() as AddressInfo).port };
  };
  const xff = (i: number) => ({ 'x-forwarded-for': `203.0.113.${i}` });

  it('ignores X-Forwarded-For unless TRUST_PROXY is set: a client cannot pick its own address', async () => {
    const { port } = await serve({ RATE_LIMIT_PER_MINUTE: '3' });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await send(port, '/openapi.json', xff(i))).status);
    expect(codes).toEqual([200, 200, 200, 429, 429]);
  });

  for (const trust of ['127.0.0.1/32', 'loopback', '1', 'true']) {
    it(`uses the address a trusted proxy names when TRUST_PROXY=${trust}`, async () => {
      const { port } = await serve({ RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: trust });
      for (let i = 0; i < 5; i++) expect((await send(port, '/openapi.json', xff(i))).status).toBe(200);
      const same: number[] = [];
      for (let i = 0; i < 4; i++) same.push((await send(port, '/openapi.json', xff(99))).status);
      expect(same).toEqual([200, 200, 200, 429]);
    });
  }

  it('trusts no proxy that is not listed', async () => {
    const { port } = await serve({ RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: '10.0.0.0/8' });
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await send(port, '/openapi.json', xff(i))).status);
    expect(codes).toEqual([200, 200, 200, 429]);
  });

  it('answers 429 problem+json with Retry-After after too many failed authentications from one address', async () => {
    const { ctx, port } = await serve({ AUTH_FAILURES_PER_WINDOW: '5', AUTH_FAILURE_WINDOW_MINUTES: '15' });
    const good = authHeader(ctx);
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      // Spoofed addresses change nothing: TRUST_PROXY is unset.
      const res = await send(port, '/api/rules', { authorization: `Bearer fm_guess_${i}`, ...xff(i) });
      codes.push(res.status);
    }
    expect(codes).toEqual([401, 401, 401, 401, 401]);
    const blocked = await send(port, '/api/rules', { authorization: 'Bearer fm_guess_5' });
    expect(blocked.status).toBe(429);
    expect(blocked.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(blocked.body)).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    const retry = Number(blocked.headers['retry-after']);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(15 * 60);
    // While blocked, a right guess looks like a wrong one; query tokens count the same.
    expect((await send(port, '/api/action-fields', good)).status).toBe(429);
    expect((await send(port, '/api/calendar.ics?token=fm_guess')).status).toBe(429);
    // Probes stay open; public routes do not (one may take credentials, like a sign-in form).
    expect((await send(port, '/health')).status).toBe(200);
    expect((await send(port, '/ready?x=1')).status).toBe(200);
    expect((await send(port, '/openapi.json')).status).toBe(429);
  });

  it('limits guessing through a public route that takes credentials (a sign-in form) as well', async () => {
    const ctx = makeCtx({ AUTH_FAILURES_PER_WINDOW: '3' });
    const app = await buildApp(ctx.config, { context: ctx });
    apps.push(app);
    // Stands in for a sign-in form: public, and 401 for a wrong token.
    app.post('/test/sign-in', { config: { public: true } }, async (_req, reply) =>
      reply.status(401).type('text/html').send('<p>wrong token</p>'),
    );
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as AddressInfo).port;
    const post = () =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/test/sign-in' }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end();
      });
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push(await post());
    expect(codes).toEqual([401, 401, 401, 429]);
    expect((await send(port, '/health')).status).toBe(200);
  });

  it('counts failures per address, so one address guessing does not lock out others', async () => {
    const { ctx, port } = await serve({ AUTH_FAILURES_PER_WINDOW: '3', TRUST_PROXY: 'loopback' });
    const { token } = createToken(ctx.dbh.db, { name: 'other', role: 'reader' });
    for (let i = 0; i < 3; i++)
      expect((await send(port, '/api/rules', { authorization: 'Bearer nope', ...xff(1) })).status).toBe(401);
    expect((await send(port, '/api/rules', { authorization: 'Bearer nope', ...xff(1) })).status).toBe(429);
    const other = await send(port, '/api/action-fields', { authorization: `Bearer ${token}`, ...xff(2) });
    expect(other.status).toBe(200);
  });

  it('exempts the probes from the request limit, with or without a query string', async () => {
    const { port } = await serve({ RATE_LIMIT_PER_MINUTE: '2' });
    for (const path of ['/health', '/health?x=1', '/ready?x=1', '/health?', '/health?x=1&y=2']) {
      for (let i = 0; i < 3; i++) expect((await send(port, path)).status, path).toBe(200);
    }
  });
});

describe('failed-authentication windows', () => {
  it('blocks at the limit, until the window ends', () => {
    let now = 0;
    const l = new AuthFailureLimiter(2, 1000, () => now);
    l.fail('a');
    expect(l.blockedFor('a')).toBe(0);
    l.fail('a');
    expect(l.blockedFor('a')).toBe(1000);
    expect(l.blockedFor('b')).toBe(0);
    now = 999;
    expect(l.blockedFor('a')).toBe(1);
    now = 1000;
    expect(l.blockedFor('a')).toBe(0);
    l.fail('a');
    expect(l.blockedFor('a')).toBe(0);
  });

  it('keeps its table bounded under a flood of addresses', () => {
    const l = new AuthFailureLimiter(1, 60_000, () => 0, 100);
    for (let i = 0; i < 1000; i++) l.fail(`10.0.${i >> 8}.${i & 255}`);
    expect(l.blockedFor('10.0.3.231')).toBeGreaterThan(0); // the newest is kept
    expect(l.blockedFor('10.0.0.0')).toBe(0); // the oldest went
  });

  it('keys IPv6 clients by their /64 and IPv4-mapped ones by the IPv4 address', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('192.0.2.7')).toBe('192.0.2.7');
  });
});
