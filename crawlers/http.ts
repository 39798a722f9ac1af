import { createRequire } from 'node:module';
import { CrawlError, isCrawlError } from './errors.ts';

/** Stored ETag / Last-Modified of a URL, for conditional requests across runs. */
export interface Validators {
  etag?: string | undefined;
  lastModified?: string | undefined;
}

export interface ValidatorStore {
  get(url: string): Validators | undefined;
  set(url: string, v: Validators): void;
}

export interface HttpClientOptions {
  userAgent: string;
  /** Minimum delay between two requests to one host; a larger robots.txt Crawl-delay wins. */
  minDelayMs: number;
  /** Applies twice: until the response headers arrive (connect + server time), then to the body. */
  timeoutMs: number;
  maxBytes: number;
  retries: number;
  backoffMs: number;
  maxRetryAfterMs: number;
  /** Hosts (host[:port]) requests and redirects may go to; anything else is refused. */
  allowedHosts: readonly string[];
  validators?: ValidatorStore;
  signal?: AbortSignal;
  /** Called once per HTTP request sent (for progress and the run's `fetched` count). */
  onRequest?: (url: string) => void;
}

export interface RequestOptions {
  method?: 'GET' | 'POST';
  body?: FormData | string;
  headers?: Record<string, string>;
  /**
   * Conditional caching for this URL: validators (ETag / Last-Modified) of a 200 are stored, and
   * with `true` the stored ones are sent; a 304 comes back as `notModified`.
   * `false` still stores validators but asks unconditionally.
   */
  conditional?: boolean;
}

export interface HttpResponse {
  url: string;
  status: number;
  headers: Headers;
  body: string;
  notModified: boolean;
}

const MAX_REDIRECTS = 5;
/** Retry-After waits per request, so a server answering 429 forever cannot hold a run. */
const MAX_THROTTLE_WAITS = 5;

/** One queue per host for the whole process, so two sources on one host never overlap either. */
const hostGates = new Map<string, { tail: Promise<void>; lastAt: number }>();

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Retry-After as milliseconds (delta seconds or an HTTP date); undefined when absent or invalid. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Exponential backoff with full jitter in [0.5, 1.5) of the nominal delay. */
export function backoffDelay(attempt: number, baseMs: number, random = Math.random): number {
  return Math.round(baseMs * 2 ** attempt * (0.5 + random()));
}

interface Robot {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
}
// robots-parser is CommonJS whose typings do not describe its default export for NodeNext.
const robotsParser = createRequire(import.meta.url)('robots-parser') as (url: string, txt: string) => Robot;

/**
 * The one HTTP client for all crawling: polite (User-Agent with contact, robots.txt incl.
 * Crawl-delay, one request at a time per host with a minimum gap), bounded (timeouts, size cap),
 * resilient (jittered retries on network errors and 5xx, never on 4xx; Retry-After honoured
 * without using up a retry) and fenced (redirects followed by hand, only to allowed hosts).
 */
export class HttpClient {
  private readonly robots = new Map<string, Robot | null>();
  private readonly allowed: Set<string>;

  constructor(private readonly opts: HttpClientOptions) {
    this.allowed = new Set(opts.allowedHosts.map((h) => h.toLowerCase()));
  }

  /** The gap this client keeps between requests to the URL's host (after robots.txt was read). */
  hostDelayMs(url: string): number {
    const origin = new URL(url).origin;
    const crawlDelay = this.robots.get(origin)?.getCrawlDelay(this.opts.userAgent);
    return Math.max(this.opts.minDelayMs, crawlDelay ? crawlDelay * 1000 : 0);
  }

  /**
   * Lets requests go to one more host, for a host a source learns during its run (Algolia's
   * `<app id>-dsn.algolia.net` is only known once the app id is read from interreg.eu).
   */
  allowHost(host: string): void {
    this.allowed.add(host.toLowerCase());
  }

  async request(url: string, options: RequestOptions = {}): Promise<HttpResponse> {
    let current = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      this.assertAllowedHost(current, url);
      await this.assertRobotsAllow(current);
      const res = await this.withRetries(current, options);
      if (res.status >= 300 && res.status < 400 && res.status !== 304) {
        const location = res.headers.get('location');
        if (!location)
          throw new CrawlError('http', `redirect ${res.status} without Location`, { url: current });
        current = new URL(location, current).toString();
        // A 303 (and, by browser custom, 301/302 after POST) turns into a GET.
        if (options.method === 'POST' && res.status !== 307 && res.status !== 308) {
          options = { ...options, method: 'GET', body: undefined };
        }
        continue;
      }
      return res;
    }
    throw new CrawlError('redirect', `more than ${MAX_REDIRECTS} redirects`, { url });
  }

  /** GET/POST and parse JSON; a body that is not JSON is a `parse` error with the URL. */
  async requestJson(url: string, options: RequestOptions = {}): Promise<HttpResponse & { json: unknown }> {
    const res = await this.request(url, {
      ...options,
      headers: { accept: 'application/json', ...options.headers },
    });
    if (res.notModified) return { ...res, json: undefined };
    try {
      return { ...res, json: JSON.parse(res.body) };
    } catch (err) {
      const looksHtml = /^\s*</.test(res.body);
      throw new CrawlError(
        looksHtml ? 'blocked' : 'parse',
        looksHtml
          ? 'HTML page where JSON was expected (block or error page)'
          : `invalid JSON: ${(err as Error).message}`,
        { url: res.url, status: res.status },
      );
    }
  }

  private assertAllowedHost(url: string, requested: string): void {
    const host = new URL(url).host.toLowerCase();
    if (!this.allowed.has(host)) {
      throw new CrawlError('redirect', `refused to follow ${requested} to foreign host ${host}`, {
        url: requested,
      });
    }
  }

  /** Reads the host's robots.txt now (once per client) and says whether `url` may be fetched. */
  async robotsAllow(url: string): Promise<boolean> {
    try {
      await this.assertRobotsAllow(url);
      return true;
    } catch (err) {
      if (isCrawlError(err) && err.kind === 'robots') return false;
      throw err;
    }
  }

  private async assertRobotsAllow(url: string): Promise<void> {
    const origin = new URL(url).origin;
    if (!this.robots.has(origin)) {
      const robotsUrl = `${origin}/robots.txt`;
      let robot: Robot | null = null;
      const res = await this.withRetries(robotsUrl, {}, true).catch((err: unknown) => {
        // RFC 9309: an unreachable robots.txt (5xx) means "assume complete disallow".
        if (isCrawlError(err) && (err.status ?? 0) >= 500) {
          throw new CrawlError('robots', `robots.txt answered ${err.status}; not crawling`, {
            url: robotsUrl,
          });
        }
        throw err;
      });
      // 4xx: no robots.txt, everything is allowed (RFC 9309 2.3.1.3).
      if (res.status >= 200 && res.status < 300) robot = robotsParser(robotsUrl, res.body);
      this.robots.set(origin, robot);
    }
    const robot = this.robots.get(origin);
    if (robot && robot.isAllowed(url, this.opts.userAgent) === false) {
      throw new CrawlError('robots', `robots.txt disallows ${new URL(url).pathname}`, { url });
    }
  }

  private async withRetries(url: string, options: RequestOptions, isRobots = false): Promise<HttpResponse> {
    let attempt = 0;
    let throttleWaits = 0;
    for (;;) {
      let res: HttpResponse;
      try {
        res = await this.once(url, options);
      } catch (err) {
        const e = isCrawlError(err) ? err : new CrawlError('network', String(err), { url, cause: err });
        if (e.errorClass !== 'retryable' || attempt >= this.opts.retries) throw e;
        await sleep(backoffDelay(attempt++, this.opts.backoffMs), this.opts.signal);
        continue;
      }
      if (res.status === 429 || res.status === 503) {
        const wait = parseRetryAfter(res.headers.get('retry-after'));
        if (wait !== undefined) {
          if (wait > this.opts.maxRetryAfterMs || throttleWaits >= MAX_THROTTLE_WAITS) {
            throw new CrawlError('http', `throttled (${res.status}, Retry-After ${wait} ms)`, {
              url,
              status: res.status,
              errorClass: 'throttled',
            });
          }
          throttleWaits++;
          await sleep(wait, this.opts.signal);
          continue;
        }
      }
      if (res.status >= 500) {
        if (attempt >= this.opts.retries) {
          throw new CrawlError('http', `HTTP ${res.status} after ${attempt + 1} attempts`, {
            url,
            status: res.status,
            errorClass: 'non-retryable',
          });
        }
        await sleep(backoffDelay(attempt++, this.opts.backoffMs), this.opts.signal);
        continue;
      }
      if (res.status >= 400 && !isRobots) {
        // 403 from these portals is their WAF turning us away; 429 without Retry-After is throttling.
        const kind = res.status === 403 ? 'blocked' : 'http';
        const errorClass =
          res.status === 403 ? 'critical' : res.status === 429 ? 'throttled' : 'non-retryable';
        throw new CrawlError(kind, `HTTP ${res.status}`, { url, status: res.status, errorClass });
      }
      return res;
    }
  }

  /** One request through the host gate, with both timeouts and the size cap. */
  private async once(url: string, options: RequestOptions): Promise<HttpResponse> {
    const host = new URL(url).host;
    const gate = hostGates.get(host) ?? { tail: Promise.resolve(), lastAt: 0 };
    hostGates.set(host, gate);
    let release!: () => void;
    const previous = gate.tail;
    gate.tail = new Promise<void>((r) => {
      release = r;
    });
    try {
      await previous;
      const wait = gate.lastAt + this.hostDelayMs(url) - Date.now();
      if (wait > 0) await sleep(wait, this.opts.signal);
      return await this.send(url, options);
    } finally {
      gate.lastAt = Date.now();
      release();
    }
  }

  private async send(url: string, options: RequestOptions): Promise<HttpResponse> {
    const headers: Record<string, string> = { 'user-agent': this.opts.userAgent, ...options.headers };
    const cached = options.conditional ? this.opts.validators?.get(url) : undefined;
    if (cached?.etag) headers['if-none-match'] = cached.etag;
    if (cached?.lastModified) headers['if-modified-since'] = cached.lastModified;

    const ac = new AbortController();
    const onOuterAbort = () => ac.abort(this.opts.signal?.reason);
    this.opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
    let phase: 'headers' | 'body' = 'headers';
    let timer = setTimeout(() => ac.abort(new Error('timeout')), this.opts.timeoutMs);
    this.opts.onRequest?.(url);
    try {
      const res = await fetch(url, {
        method: options.method ?? 'GET',
        headers,
        body: options.body ?? null,
        redirect: 'manual',
        signal: ac.signal,
      });
      clearTimeout(timer);
      phase = 'body';
      timer = setTimeout(() => ac.abort(new Error('timeout')), this.opts.timeoutMs);
      const declared = Number(res.headers.get('content-length') ?? 'NaN');
      if (declared > this.opts.maxBytes) {
        await res.body?.cancel();
        throw new CrawlError('http', `response of ${declared} bytes exceeds the cap`, {
          url,
          status: res.status,
        });
      }
      const body = await readCapped(res, this.opts.maxBytes, url);
      if (res.status === 304) {
        return { url, status: 304, headers: res.headers, body: '', notModified: true };
      }
      if (options.conditional !== undefined && res.status === 200 && this.opts.validators) {
        const etag = res.headers.get('etag') ?? undefined;
        const lastModified = res.headers.get('last-modified') ?? undefined;
        if (etag || lastModified) this.opts.validators.set(url, { etag, lastModified });
      }
      return { url, status: res.status, headers: res.headers, body, notModified: false };
    } catch (err) {
      if (isCrawlError(err)) throw err;
      if (this.opts.signal?.aborted) throw err;
      if (ac.signal.aborted) {
        throw new CrawlError(
          'timeout',
          `no ${phase === 'headers' ? 'response' : 'complete body'} within ${this.opts.timeoutMs} ms`,
          {
            url,
          },
        );
      }
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (err as Error).message;
      const host = new URL(url).host;
      if (cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN') {
        // No DNS answer (offline, or a wrong host name): retrying only adds minutes; the source
        // fails at once and the other sources still run.
        throw new CrawlError(
          'network',
          `host name ${new URL(url).hostname} does not resolve (${cause.code}): offline or a wrong base URL`,
          { url, cause: err, errorClass: 'critical' },
        );
      }
      throw new CrawlError('network', `cannot reach ${host}: ${why}`, { url, cause: err });
    } finally {
      clearTimeout(timer);
      this.opts.signal?.removeEventListener('abort', onOuterAbort);
    }
  }
}

async function readCapped(res: Response, maxBytes: number, url: string): Promise<string> {
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      throw new CrawlError('http', `response exceeds the cap of ${maxBytes} bytes`, {
        url,
        status: res.status,
      });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
