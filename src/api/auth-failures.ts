import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { sendProblem } from './problem.ts';

/**
 * The client a failure counts against: its IPv4 address, or the /64 network of an IPv6 address
 * (one host usually holds a whole /64 and could otherwise take a fresh address per guess).
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (isIP(ip) !== 6) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

interface Window {
  failures: number;
  resetAt: number;
}

/** Fixed windows of failed authentications per address, in memory (one process serves the API). */
export class AuthFailureLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: () => number = Date.now,
    private readonly maxAddresses = 100_000,
  ) {}

  /** Milliseconds until `key` may try again, or 0 when it may now. */
  blockedFor(key: string): number {
    const w = this.windows.get(key);
    if (!w) return 0;
    const left = w.resetAt - this.clock();
    if (left <= 0) {
      this.windows.delete(key);
      return 0;
    }
    return w.failures >= this.limit ? left : 0;
  }

  fail(key: string): void {
    const now = this.clock();
    const w = this.windows.get(key);
    if (w && w.resetAt > now) {
      w.failures++;
      return;
    }
    if (w) this.windows.delete(key);
    if (this.windows.size >= this.maxAddresses) this.prune(now);
    this.windows.set(key, { failures: 1, resetAt: now + this.windowMs });
  }

  /**
   * Drops ended windows, and under a flood of addresses the oldest. Windows are inserted in the
   * order they end (same length, a renewed one is re-inserted), so both are at the front and a
   * prune stops at the first window it keeps: no scan of the whole table per new address.
   */
  private prune(now: number): void {
    for (const [k, w] of this.windows) {
      if (w.resetAt > now && this.windows.size < this.maxAddresses) break;
      this.windows.delete(k);
    }
  }
}

/**
 * Limits token guessing: every 401 counts against the client's address, and an address that
 * reached the limit gets 429 (with Retry-After) until its window ends, before any token is
 * looked at, so a right guess cannot be told from a wrong one meanwhile. Registered before the
 * auth plugin. Only the probes stay open: a public route may take credentials too (a sign-in
 * form answering 401), and it must not become the way around the limit.
 */
export const authFailurePlugin = fp(
  async (app: FastifyInstance, opts: { limit: number; windowMs: number; clock?: () => number }) => {
    const limiter = new AuthFailureLimiter(opts.limit, opts.windowMs, opts.clock);
    app.addHook('onRequest', (req, reply, done) => {
      if (req.routeOptions.config?.probe === true) return done();
      const wait = limiter.blockedFor(addressKey(req.ip));
      if (wait === 0) return done();
      const seconds = Math.ceil(wait / 1000);
      reply.header('retry-after', String(seconds));
      sendProblem(
        reply,
        'RATE_LIMITED',
        `Zu viele fehlgeschlagene Anmeldungen; bitte in ${seconds} s erneut versuchen. / Too many failed authentications; retry in ${seconds} s.`,
      );
    });
    app.addHook('onResponse', (req, reply, done) => {
      if (reply.statusCode === 401) limiter.fail(addressKey(req.ip));
      done();
    });
  },
);
