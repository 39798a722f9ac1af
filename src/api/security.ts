import { createHash } from 'node:crypto';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';

/** Rate-limit key: the presented token (hashed; never kept in memory as is), else the client address. */
function clientKey(req: FastifyRequest): string {
  const header = req.headers.authorization;
  const query = (req.query as Record<string, unknown> | undefined)?.token;
  const token = header?.startsWith('Bearer ')
    ? header.slice(7).trim()
    : typeof query === 'string'
      ? query
      : '';
  return token ? `t:${createHash('sha256').update(token).digest('base64url').slice(0, 22)}` : `ip:${req.ip}`;
}

/**
 * Security headers (helmet, with a CSP that still lets Swagger UI at /docs run), CORS only
 * for configured origins, and a per-token rate limit on everything but the probes.
 */
export const securityPlugin = fp(async (app: FastifyInstance, opts: { config: Config }) => {
  // helmet's middleware, made once: @fastify/helmet builds it anew on every request, which
  // cost more than answering a cached list.
  const securityHeaders = helmet({
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
    // API responses are read by scripts on other origins when CORS allows them.
    crossOriginResourcePolicy: {
      policy: opts.config.http.corsOrigins.length > 0 ? 'cross-origin' : 'same-origin',
    },
  });
  app.addHook('onRequest', (req, reply, done) =>
    securityHeaders(req.raw, reply.raw, (err) => done(err as Error | undefined)),
  );

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
    allowList: (req) => req.url === '/health' || req.url === '/ready',
    errorResponseBuilder: (_req, context) =>
      new AppError(
        'RATE_LIMITED',
        `Zu viele Anfragen; bitte in ${Math.ceil(context.ttl / 1000)} s erneut versuchen. / Too many requests; retry in ${Math.ceil(context.ttl / 1000)} s.`,
      ),
  });
});
