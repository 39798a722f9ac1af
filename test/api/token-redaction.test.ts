import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/api/redact.ts';
import { type App, buildApp } from '../../src/app.ts';
import { createToken } from '../../src/auth/tokens.ts';
import { createContext, createLogger } from '../../src/context.ts';
import { useTestContext } from '../helpers/context.ts';

/** One raw request: node's http client sends the path as given. */
function get(port: number, path: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'GET', path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('tokens in URLs reach neither logs nor problem bodies', () => {
  const makeCtx = useTestContext();
  const log: string[] = [];
  let app: App;
  let port: number;
  let token: string;

  beforeAll(async () => {
    const base = makeCtx();
    // The real logger of the server, at info level, written where the test can read it.
    const config = { ...base.config, logLevel: 'info' as const };
    const destination = new Writable({
      write(chunk, _enc, cb) {
        log.push(String(chunk));
        cb();
      },
    });
    const ctx = createContext(config, createLogger(config, { destination }));
    token = createToken(ctx.dbh.db, { name: 'calendar', role: 'reader' }).token;
    app = await buildApp(config, { context: ctx });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await app.close();
    app.ctx.dbh.close();
  });

  it('masks a valid and an unknown token in the access log and in the instance of 4xx problems', async () => {
    const unknown = 'fm_unknown_0123456789abcdef0123456789';
    const cases = [
      // valid token, invalid filter: 400 after authentication
      { path: `/api/calendar.ics?minScore=abc&token=${token}`, status: 400, secret: token },
      { path: `/api/feed.atom?token=${token}&minScore=101`, status: 400, secret: token },
      // the query parser decodes names: %74oken is token
      { path: `/api/feed.atom?%74oken=${token}&minScore=-1`, status: 400, secret: token },
      // unknown token: 401
      { path: `/api/calendar.ics?token=${unknown}`, status: 401, secret: unknown },
      // a route without query tokens and an unknown path still carry the query
      { path: `/api/calls?token=${token}`, status: 401, secret: token },
      { path: `/api/nope?x=1&token=${token}`, status: 401, secret: token },
    ];
    for (const c of cases) {
      const before = log.length;
      const res = await get(port, c.path);
      expect(res.status, c.path).toBe(c.status);
      expect(res.type).toContain('application/problem+json');
      expect(res.body).not.toContain(c.secret);
      expect(JSON.parse(res.body).instance).toContain('=[redacted]');
      const lines = log.slice(before).join('');
      expect(lines).toContain('incoming request');
      expect(lines).toContain('=[redacted]');
      expect(lines, c.path).not.toContain(c.secret);
    }
    expect(log.join('')).not.toContain(token);
  });

  it('still serves the calendar to a query token', async () => {
    const res = await get(port, `/api/calendar.ics?token=${token}`);
    expect(res.status).toBe(200);
    expect(res.body).toContain('BEGIN:VCALENDAR');
  });
});

describe('redactUrl', () => {
  it('masks every spelling of the token parameter and leaves the rest as sent', () => {
    expect(redactUrl('/api/feed.atom?token=abc&minScore=50')).toBe(
      '/api/feed.atom?token=[redacted]&minScore=50',
    );
    expect(redactUrl('/a?x=1&TOKEN=abc&token=def#f')).toBe('/a?x=1&TOKEN=[redacted]&token=[redacted]#f');
    expect(redactUrl('/a?%74oken=abc&to%6Ben=d')).toBe('/a?%74oken=[redacted]&to%6Ben=[redacted]');
    expect(redactUrl('/a?token')).toBe('/a?token=[redacted]');
    expect(redactUrl('/a?tokens=1&mytoken=2')).toBe('/a?tokens=1&mytoken=2');
    expect(redactUrl('/api/calls')).toBe('/api/calls');
    expect(redactUrl('/a?%ff=1')).toBe('/a?%ff=1');
  });
});
