import { describe, expect, it } from 'vitest';
import { CrawlError } from '../../crawlers/errors.ts';
import {
  backoffDelay,
  HttpClient,
  type HttpClientOptions,
  parseRetryAfter,
  type Validators,
} from '../../crawlers/http.ts';
import { useFixtureServer } from '../helpers/fixture-server.ts';

const UA = 'foerdermatch/0.1 (+mailto:test@example.org)';

function client(base: string, over: Partial<HttpClientOptions> = {}) {
  return new HttpClient({
    userAgent: UA,
    minDelayMs: 0,
    timeoutMs: 300,
    maxBytes: 10_000,
    retries: 2,
    backoffMs: 2,
    maxRetryAfterMs: 5_000,
    allowedHosts: [new URL(base).host],
    ...over,
  });
}

async function failure(p: Promise<unknown>): Promise<CrawlError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof CrawlError) return err;
    throw err;
  }
  throw new Error('expected the request to fail');
}

describe('HttpClient', () => {
  const makeServer = useFixtureServer();

  it('sends the User-Agent with contact and reads robots.txt once, honouring Crawl-delay', async () => {
    const s = makeServer().route('GET', '/robots.txt', () => ({ body: 'User-agent: *\nCrawl-delay: 30\n' }));
    const base = await s.start();
    const http = client(base);
    expect(await http.robotsAllow(`${base}/a`)).toBe(true);
    expect(http.hostDelayMs(`${base}/a`)).toBe(30_000);
    expect(await http.robotsAllow(`${base}/b`)).toBe(true);
    expect(s.requests.map((r) => r.path)).toEqual(['/robots.txt']);
    expect(s.requests.every((r) => r.headers['user-agent'] === UA)).toBe(true);
  });

  it('keeps the configured minimum delay when robots.txt asks for less', async () => {
    const s = makeServer().route('GET', '/robots.txt', () => ({ status: 404 }));
    const base = await s.start();
    const http = client(base, { minDelayMs: 1500 });
    expect(await http.robotsAllow(`${base}/a`)).toBe(true);
    expect(http.hostDelayMs(`${base}/a`)).toBe(1500);
  });

  it('refuses paths robots.txt disallows, without requesting them', async () => {
    const s = makeServer().route('GET', '/robots.txt', () => ({
      body: 'User-agent: *\nDisallow: /private\n',
    }));
    s.route('GET', '/private/x', () => ({ body: 'secret' }));
    const base = await s.start();
    const err = await failure(client(base).request(`${base}/private/x`));
    expect(err.kind).toBe('robots');
    expect(err.critical).toBe(true);
    expect(s.count('GET', '/private/x')).toBe(0);
  });

  it('treats a 5xx robots.txt as "do not crawl"', async () => {
    const s = makeServer().route('GET', '/robots.txt', () => ({ status: 500 }));
    const base = await s.start();
    const err = await failure(client(base, { retries: 0 }).request(`${base}/a`));
    expect(err.kind).toBe('robots');
    expect(s.count('GET', '/a')).toBe(0);
  });

  it('retries 5xx with backoff and then succeeds', async () => {
    const s = makeServer().route('GET', '/a', () => ({ body: 'ok' }));
    s.queue('GET', '/a', { status: 500 }, { status: 502 });
    const base = await s.start();
    expect((await client(base).request(`${base}/a`)).body).toBe('ok');
    expect(s.count('GET', '/a')).toBe(3);
  });

  it('gives up after the configured retries', async () => {
    const s = makeServer().route('GET', '/a', () => ({ status: 500 }));
    const base = await s.start();
    const err = await failure(client(base, { retries: 2 }).request(`${base}/a`));
    expect(err).toMatchObject({ kind: 'http', status: 500 });
    expect(s.count('GET', '/a')).toBe(3);
  });

  it('never retries a 4xx', async () => {
    const s = makeServer().route('GET', '/a', () => ({ status: 404 }));
    const base = await s.start();
    const err = await failure(client(base).request(`${base}/a`));
    expect(err).toMatchObject({ kind: 'http', status: 404, errorClass: 'non-retryable' });
    expect(s.count('GET', '/a')).toBe(1);
  });

  it('waits out 429 Retry-After without using up a retry', async () => {
    const s = makeServer().route('GET', '/a', () => ({ body: 'ok' }));
    s.queue(
      'GET',
      '/a',
      { status: 429, headers: { 'retry-after': '0' } },
      { status: 503, headers: { 'retry-after': '0' } },
    );
    const base = await s.start();
    // retries: 0 — the two throttled answers must not count as retries.
    expect((await client(base, { retries: 0 }).request(`${base}/a`)).body).toBe('ok');
    expect(s.count('GET', '/a')).toBe(3);
  });

  it('fails as throttled when Retry-After is longer than we wait', async () => {
    const s = makeServer().route('GET', '/a', () => ({ status: 429, headers: { 'retry-after': '3600' } }));
    const base = await s.start();
    const err = await failure(client(base).request(`${base}/a`));
    expect(err.errorClass).toBe('throttled');
    expect(s.count('GET', '/a')).toBe(1);
  });

  it('times out waiting for headers and for the body, retrying each', async () => {
    const s = makeServer().route('GET', '/slow', () => ({ body: 'late', delayMs: 2000 }));
    s.route('GET', '/stall', () => ({ stallBody: true, delayMs: 2000 }));
    const base = await s.start();
    const http = client(base, { timeoutMs: 100, retries: 1 });
    expect(await failure(http.request(`${base}/slow`))).toMatchObject({ kind: 'timeout' });
    expect(s.count('GET', '/slow')).toBe(2);
    const e2 = await failure(http.request(`${base}/stall`));
    expect(e2.kind).toBe('timeout');
    expect(e2.message).toMatch(/body/);
  });

  it('caps the response size', async () => {
    const s = makeServer().route('GET', '/big', () => ({ body: 'x'.repeat(20_000) }));
    const base = await s.start();
    const err = await failure(client(base, { maxBytes: 1000 }).request(`${base}/big`));
    expect(err.message).toMatch(/exceeds the cap/);
  });

  it('follows redirects on allowed hosts and refuses foreign hosts', async () => {
    const s = makeServer().route('GET', '/old', () => ({ status: 301, headers: { location: '/new' } }));
    s.route('GET', '/new', () => ({ body: 'moved' }));
    s.route('GET', '/away', () => ({ status: 302, headers: { location: 'http://evil.example.org/x' } }));
    const base = await s.start();
    const http = client(base);
    expect(await http.request(`${base}/old`)).toMatchObject({ body: 'moved', url: `${base}/new` });
    const err = await failure(http.request(`${base}/away`));
    expect(err.kind).toBe('redirect');
    expect(err.message).toContain('evil.example.org');
  });

  it('sends conditional requests from stored validators and reports 304 as not modified', async () => {
    const s = makeServer().route('GET', '/page', (req) =>
      req.headers['if-none-match'] === '"v1"'
        ? { status: 304 }
        : { body: 'content', headers: { etag: '"v1"' } },
    );
    const base = await s.start();
    const store = new Map<string, Validators>();
    const http = client(base, { validators: { get: (u) => store.get(u), set: (u, v) => store.set(u, v) } });
    expect((await http.request(`${base}/page`, { conditional: true })).body).toBe('content');
    expect(store.get(`${base}/page`)?.etag).toBe('"v1"');
    expect(await http.request(`${base}/page`, { conditional: true })).toMatchObject({
      notModified: true,
      status: 304,
    });
  });

  it('reports a network error for a closed port', async () => {
    const s = makeServer();
    const base = await s.start();
    await s.close();
    const err = await failure(client(base, { retries: 1 }).request(`${base}/a`));
    expect(err.kind).toBe('network');
  });

  it('parses Retry-After and jitters backoff', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 12:00:10 GMT', Date.parse('2026-11-25T12:00:00Z'))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(backoffDelay(0, 1000, () => 0)).toBe(500);
    expect(backoffDelay(2, 1000, () => 0.999)).toBe(5996);
  });
});
