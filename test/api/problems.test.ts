import { request } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import { authHeader, useTestContext } from '../helpers/context.ts';

interface Answer {
  status: number;
  type: string;
  body: string;
}

/** One request over real HTTP; node's client sends path and method as given. */
function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: text }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

function expectProblem(res: Answer, status: number, code: string, what: string) {
  expect(res.status, what).toBe(status);
  expect(res.type, what).toBe('application/problem+json; charset=utf-8');
  const p = JSON.parse(res.body);
  expect(p, what).toMatchObject({ status, code, type: expect.stringMatching(/^urn:foerdermatch:problem:/) });
  expect(p.title, what).toEqual(expect.any(String));
}

describe('every 4xx is problem+json, over real HTTP', () => {
  const makeCtx = useTestContext();
  let app: App;
  let port: number;
  let admin: { authorization: string };

  beforeAll(async () => {
    const ctx = makeCtx({ AUTH_FAILURES_PER_WINDOW: '1000' });
    admin = authHeader(ctx, 'admin');
    app = await buildApp(ctx.config, { context: ctx });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
  });
  afterAll(async () => app.close());

  it('answers bad percent-encoding with 400 problem+json, echoing no token', async () => {
    for (const path of ['/api/action-fields/%ff', '/api/%zz', '/%ff?token=fm_secret_in_query']) {
      for (const headers of [{}, admin]) {
        const res = await send(port, 'GET', path, headers);
        expectProblem(res, 400, 'BAD_REQUEST', path);
        expect(res.body).not.toContain('fm_secret_in_query');
      }
    }
  });

  it('answers headers that are too large with 431 problem+json', async () => {
    const res = await send(port, 'GET', '/api/calls', { ...admin, 'x-filler': 'a'.repeat(20_000) });
    expectProblem(res, 431, 'HEADERS_TOO_LARGE', '431');
  });

  it('answers unknown methods with problem+json: 404 for a known method, 400 for one that is not HTTP', async () => {
    for (const method of ['PROPFIND', 'PATCH', 'MKCOL', 'TRACE']) {
      expectProblem(await send(port, method, '/api/calls', admin), 404, 'ROUTE_NOT_FOUND', method);
      expectProblem(await send(port, method, '/api/calls'), 401, 'UNAUTHORIZED', `${method} without token`);
    }
    expectProblem(await send(port, 'FOO', '/api/calls', admin), 400, 'BAD_REQUEST', 'FOO');
  });

  const badNumbers = [
    '0x10',
    '1e2',
    '%2012',
    '12%20',
    '+3',
    '1.0',
    '0',
    '012',
    '-1',
    '1_0',
    '99999999999999999999',
  ];

  it('parses numeric ids in paths strictly: anything but plain digits is 400', async () => {
    const routes: Array<[string, (id: string) => string]> = [
      ['GET', (id) => `/api/subscribers/${id}`],
      ['PATCH', (id) => `/api/subscribers/${id}`],
      ['DELETE', (id) => `/api/subscribers/${id}`],
      ['POST', (id) => `/api/digests/${id}/retry`],
      ['POST', (id) => `/api/rules/rollback/${id}`],
      ['GET', (id) => `/api/crawl-runs/${id}`],
    ];
    for (const [method, path] of routes) {
      const json = method === 'PATCH' || method === 'POST';
      const call = (id: string) =>
        send(
          port,
          method,
          path(id),
          json ? { ...admin, 'content-type': 'application/json' } : admin,
          json ? '{}' : undefined,
        );
      for (const id of badNumbers) {
        const res = await call(id);
        expectProblem(res, 400, 'VALIDATION_FAILED', `${method} ${path(id)}`);
        expect(JSON.parse(res.body).errors[0].path, path(id)).toMatch(/^params\./);
      }
      // A plain id passes the check (no such record here; an empty PATCH body may still fail).
      const ok = await call('12');
      if (ok.status === 400) expect(JSON.parse(ok.body).errors[0].path).not.toMatch(/^params\./);
      else expect([404, 409], `${method} ${path('12')}: ${ok.status}`).toContain(ok.status);
    }
  });

  it('parses numbers in query strings strictly', async () => {
    const queries = [
      '/api/digests?limit=',
      '/api/crawl-runs?limit=',
      '/api/crawl-runs?before=',
      '/api/calls?limit=',
      '/api/calls?minScore=',
      '/api/feedback?limit=',
      '/api/action-fields/ostseeraum/matches?limit=',
      '/api/action-fields/ostseeraum/matches?minScore=',
      '/api/calendar.ics?minScore=',
    ];
    for (const q of queries) {
      for (const v of ['0x10', '1e1', '%2012', '+3', '012', '1_0', 'NaN', 'Infinity']) {
        expectProblem(await send(port, 'GET', `${q}${v}`, admin), 400, 'VALIDATION_FAILED', `${q}${v}`);
      }
      expect((await send(port, 'GET', `${q}10`, admin)).status, `${q}10`).toBe(200);
    }
    expect((await send(port, 'GET', '/api/calls?minScore=40.5', admin)).status).toBe(200);
  });
});

describe('503 while shutting down', () => {
  const makeCtx = useTestContext();

  it('answers requests that arrive on an open connection during shutdown with 503 problem+json', async () => {
    const ctx = makeCtx();
    const app = await buildApp(ctx.config, { context: ctx });
    // A request that is still running when shutdown begins keeps its connection open.
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => {
      entered = r;
    });
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    app.get('/test/slow', { config: { public: true } }, async () => {
      entered();
      await released;
      return { ok: true };
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as AddressInfo).port;
    let arrived = 0;
    let secondArrived!: () => void;
    const second = new Promise<void>((r) => {
      secondArrived = r;
    });
    app.server.on('request', () => {
      if (++arrived === 2) secondArrived();
    });

    const socket = connect(port, '127.0.0.1');
    let raw = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => {
      raw += c;
    });
    const ended = new Promise<void>((r) => socket.on('close', () => r()));
    socket.write('GET /test/slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await inHandler;
    const closed = app.close();
    // The next request on the same connection (pipelined) arrives while the server closes.
    await new Promise((r) => setImmediate(r));
    socket.write(`GET /api/calls HTTP/1.1\r\nHost: x\r\n${'Authorization: Bearer x\r\n'}\r\n`);
    await second;
    release();
    await ended;
    await closed;

    const answers = raw.split(/(?=HTTP\/1\.1 )/);
    expect(answers).toHaveLength(2);
    expect(answers[0]).toMatch(/^HTTP\/1\.1 200 /);
    expect(answers[1]).toMatch(/^HTTP\/1\.1 503 /);
    expect(answers[1]).toMatch(/content-type: application\/problem\+json; charset=utf-8/i);
    expect(answers[1]).toMatch(/retry-after: 5/i);
    const body = JSON.parse(answers[1]!.slice(answers[1]!.indexOf('\r\n\r\n') + 4));
    expect(body).toMatchObject({ status: 503, code: 'SHUTTING_DOWN' });
  });
});
