import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import { useTestContext } from '../helpers/context.ts';

interface Operation {
  security?: unknown[];
}

/** One raw request: node's http client sends the path as given (fetch would normalise it). */
function raw(port: number, method: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, headers: { 'content-type': 'application/json' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(method === 'GET' || method === 'DELETE' ? undefined : '{}');
  });
}

/** Ways of spelling the same path that a router may decode or normalise. */
function spellings(path: string): string[] {
  const rest = path.slice('/api'.length);
  return [
    path,
    `/%61pi${rest}`,
    `/%41PI${rest}`,
    `/a%70i${rest}`,
    `/api%2F${rest.slice(1)}`,
    `/api${rest.replace(/\//g, '%2F')}`,
    `//api${rest}`,
    `/api/${rest}`,
    `${path}/`,
    `${path}.`,
    `${path}/.`,
    `/api/./${rest.slice(1)}`,
    `/x/../api${rest}`,
    path.toUpperCase(),
    `/Api${rest}`,
    `${path}?x=1`,
    `${path}%00`,
    `${path};x=1`,
  ];
}

describe('every private route needs a token, however its path is spelled', () => {
  const makeCtx = useTestContext();
  let app: App;
  let port: number;
  let doc: { paths: Record<string, Record<string, Operation>> };

  beforeAll(async () => {
    // Hundreds of 401s from one address: lift the failed-authentication limit (tested elsewhere).
    const ctx = makeCtx({ AUTH_FAILURES_PER_WINDOW: '1000000' });
    app = await buildApp(ctx.config, { context: ctx });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
    doc = JSON.parse((await raw(port, 'GET', '/openapi.json')).body);
  });
  afterAll(async () => app.close());

  it('documents a bearer requirement on every /api operation', () => {
    const ops = Object.entries(doc.paths).filter(([p]) => p.startsWith('/api/'));
    expect(ops.length).toBeGreaterThan(20);
    for (const [path, methods] of ops) {
      for (const [method, op] of Object.entries(methods)) {
        expect(op.security, `${method.toUpperCase()} ${path}`).toEqual([{ bearer: [] }]);
      }
    }
  });

  it('answers 401 problem+json to every spelling of every private operation without a token', async () => {
    let checked = 0;
    for (const [template, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (!op.security) continue; // public by its route config: probes, docs, unsubscribe
        const path = template.replace(/\{[^}]+\}/g, '1');
        for (const variant of spellings(path)) {
          const res = await raw(port, method.toUpperCase(), variant);
          // 400 only where the path itself is not a valid request line (a NUL byte); never 2xx/5xx.
          expect([401, 400], `${method.toUpperCase()} ${variant}: ${res.status}`).toContain(res.status);
          if (res.status === 401) expect(JSON.parse(res.body).code).toBe('UNAUTHORIZED');
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(400);
  });

  it('keeps the public routes open: probes, OpenAPI document and docs', async () => {
    for (const url of ['/health', '/ready', '/openapi.json', '/docs/']) {
      const res = await raw(port, 'GET', url);
      expect(res.status, url).toBe(200);
    }
  });

  it('answers 401 for a path that matches no route, so probing learns nothing without a token', async () => {
    expect((await raw(port, 'GET', '/api/nope')).status).toBe(401);
    expect((await raw(port, 'GET', '/%61pi/nope')).status).toBe(401);
  });
});
