import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { fromPackage } from '../../src/paths.ts';

export interface FixtureRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface FixtureResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Answer only after this long (to trigger client timeouts). */
  delayMs?: number;
  /** Send the headers, then stall the body for `delayMs`. */
  stallBody?: boolean;
}

export type FixtureHandler = (req: FixtureRequest) => FixtureResponse | Promise<FixtureResponse>;

/** Reads a file under `test/fixtures/`. */
export function fixture(path: string): string {
  return readFileSync(fromPackage('test', 'fixtures', path), 'utf8');
}

/**
 * A real HTTP server on 127.0.0.1 that replays recordings. Routes match method + exact path;
 * `queue()` puts one-off responses (faults) in front of a route, consumed in order.
 */
export class FixtureServer {
  readonly requests: FixtureRequest[] = [];
  private readonly routes = new Map<string, FixtureHandler>();
  private readonly queued = new Map<string, FixtureResponse[]>();
  private server: Server | undefined;
  url = '';

  route(method: string, path: string, handler: FixtureHandler): this {
    this.routes.set(`${method} ${path}`, handler);
    return this;
  }

  /** The next requests to `method path` get these responses, in order, before the route's own. */
  queue(method: string, path: string, ...responses: FixtureResponse[]): this {
    const key = `${method} ${path}`;
    this.queued.set(key, [...(this.queued.get(key) ?? []), ...responses]);
    return this;
  }

  count(method: string, path: string): number {
    return this.requests.filter((r) => r.method === method && r.path === path).length;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const u = new URL(req.url ?? '/', 'http://fixture');
        const freq: FixtureRequest = {
          method: req.method ?? 'GET',
          path: u.pathname,
          query: u.searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks),
        };
        this.requests.push(freq);
        const key = `${freq.method} ${freq.path}`;
        const queued = this.queued.get(key);
        let out: FixtureResponse;
        try {
          out = queued?.length
            ? queued.shift()!
            : ((await this.routes.get(key)?.(freq)) ?? { status: 404, body: 'not found' });
        } catch (err) {
          out = { status: 500, body: String(err) };
        }
        const send = () => {
          if (res.destroyed) return;
          res.writeHead(out.status ?? 200, out.headers ?? {});
          res.end(out.body ?? '');
        };
        if (out.stallBody) {
          res.writeHead(out.status ?? 200, { ...(out.headers ?? {}), 'content-length': '1000' });
          res.write('x');
          setTimeout(() => res.destroy(), out.delayMs ?? 1000);
        } else if (out.delayMs) setTimeout(send, out.delayMs);
        else send();
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server!.close(() => r()));
  }
}

/** A fixture server per test, closed afterwards. */
export function useFixtureServer(): () => FixtureServer {
  const servers: FixtureServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
  });
  return () => {
    const s = new FixtureServer();
    servers.push(s);
    return s;
  };
}
