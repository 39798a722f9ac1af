import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';

/**
 * Rate-limit key: the token's principal. Authentication runs first (an instance hook; the
 * limit is a route hook), so every /api request that reaches the limit has one; anything else
 * is counted by client address.
 */
function clientKey(req: FastifyRequest): string {
  return req.principal ? `t:${req.principal.id}` : `ip:${req.ip}`;
}

type HelmetMiddleware = ReturnType<typeof helmet>;

/**
 * The headers a helmet middleware sets. With a fixed configuration (no nonces, no functions)
 * they are the same for every response, so they are taken once and set through fastify's reply:
 * helmet's own `res.setHeader` calls on every request made Node merge and re-check all headers
 * of each response, a fifth of the cost of answering from the response cache.
 */
export function staticHeaders(middleware: HelmetMiddleware): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: unknown) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  let done = false;
  middleware({} as never, res as never, (err?: unknown) => {
    if (err) throw err;
    done = true;
  });
  // helmet sets its headers synchronously; if that ever changes, fail at start, not silently.
  if (!done) throw new Error('helmet did not finish synchronously');
  return headers;
}

/**
 * Security headers, CORS only for configured origins, and a per-token rate limit on everything
 * but the probes. Pages (Swagger UI at /docs, the unsubscribe page) get helmet's full set with a
 * CSP that lets Swagger UI run. API answers are data, never rendered: they get the set the
 * OWASP REST Security Cheat Sheet names for APIs (a CSP that allows nothing, no framing,
 * nosniff, HSTS), and Cross-Origin-Resource-Policy only when CORS is configured (it is what lets
 * the allowed origins read them). The document-only headers are left out: each header is work
 * on both ends of every request, and on the cached list routes headers are most of it.
 */
export const securityPlugin = fp(async (app: FastifyInstance, opts: { config: Config }) => {
  // API responses are read by scripts on other origins when CORS allows them.
  const crossOriginResourcePolicy = {
    policy: opts.config.http.corsOrigins.length > 0 ? ('cross-origin' as const) : ('same-origin' as const),
  };
  const pageHeaders = staticHeaders(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      crossOriginResourcePolicy,
    }),
  );
  const apiHeaders = staticHeaders(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
      },
      crossOriginResourcePolicy: opts.config.http.corsOrigins.length > 0 ? crossOriginResourcePolicy : false,
      xFrameOptions: { action: 'deny' },
      referrerPolicy: false,
      crossOriginOpenerPolicy: false,
      originAgentCluster: false,
      xDnsPrefetchControl: false,
      xDownloadOptions: false,
      xPermittedCrossDomainPolicies: false,
      xXssProtection: false,
    }),
  );
  app.addHook('onRequest', (req, reply, done) => {
    reply.headers(req.routeOptions.url?.startsWith('/api/') ? apiHeaders : pageHeaders);
    done();
  });

  if (opts.config.http.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: [...opts.config.http.corsOrigins],
      methods: ['GET', 'POST', 'PUT', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type'],
      exposedHeaders: ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After'],
      maxAge: 600,
    });
  }

  await app.register(rateLimit, {
    global: true,
    max: opts.config.http.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: clientKey,
    allowList: (req) => req.routeOptions.config?.probe === true,
    errorResponseBuilder: (_req, context) =>
      new AppError(
        'RATE_LIMITED',
        `Zu viele Anfragen; bitte in ${Math.ceil(context.ttl / 1000)} s erneut versuchen. / Too many requests; retry in ${Math.ceil(context.ttl / 1000)} s.`,
      ),
  });
});
