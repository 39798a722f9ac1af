import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type TokenPrincipal, verifyToken } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import type { TokenRole } from '../domain/enums.ts';
import { pageGate } from '../web/session.ts';
import { sendProblem } from './problem.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: TokenPrincipal;
  }
  interface FastifyContextConfig {
    /** Minimum role for this route; every route that is not `public` defaults to `reader`. */
    role?: TokenRole;
    /** Accept `?token=` (calendar and feed subscriptions that cannot send headers). */
    queryToken?: boolean;
    /** The route needs no token (probes, docs, the unsubscribe page). Nothing else is open. */
    public?: boolean;
    /** Liveness/readiness probe: public and exempt from the rate limit. */
    probe?: boolean;
  }
}

const rank: Record<TokenRole, number> = { reader: 1, admin: 2 };

function presentedToken(req: FastifyRequest, allowQuery: boolean): string | undefined {
  const header = req.headers.authorization;
  // RFC 9110 §11.1: the scheme name is case-insensitive.
  const m = header ? /^bearer[ \t]+(\S+)\s*$/i.exec(header) : null;
  if (m) return m[1];
  if (allowQuery) {
    const q = (req.query as Record<string, unknown> | undefined)?.token;
    if (typeof q === 'string' && q.length > 0) return q;
  }
  return undefined;
}

/**
 * Bearer-token access for every route that is not marked `config.public`: 401 without a valid
 * token, 403 when the token's role is below the route's `config.role`. Access is decided from
 * the route the router matched (its config), never from the raw URL: the router decodes and
 * normalises paths, so a test of `req.url` can be walked around (`/%61pi/rules`). A request that
 * matches no route is private too, so probing unknown paths without a token learns nothing.
 */
export const authPlugin = fp(async (app: FastifyInstance, opts: { ctx: AppContext }) => {
  // Callback style: it runs on every request, and an async hook costs a promise and a turn.
  app.addHook('onRequest', (req, reply, done) => {
    const cfg = req.routeOptions.config;
    if (cfg?.public === true) return done();
    // HTML pages: the session cookie (src/web/session.ts) instead of a bearer token.
    if (cfg?.page === true) return pageGate(req, reply, cfg.role) ? done() : undefined;
    const token = presentedToken(req, cfg?.queryToken === true);
    if (!token) {
      reply.header('WWW-Authenticate', 'Bearer realm="foerdermatch"');
      sendProblem(reply, 'UNAUTHORIZED', 'Bitte mit einem API-Token anmelden. / An API token is required.');
      return; // answered: the rest of the lifecycle is skipped
    }
    let principal: TokenPrincipal | undefined;
    try {
      principal = verifyToken(opts.ctx.dbh.db, token);
    } catch (err) {
      return done(err as Error);
    }
    if (!principal) {
      reply.header('WWW-Authenticate', 'Bearer realm="foerdermatch", error="invalid_token"');
      sendProblem(reply, 'UNAUTHORIZED', 'Token unbekannt oder widerrufen. / Token unknown or revoked.');
      return;
    }
    const needed = cfg?.role ?? 'reader';
    if (rank[principal.role] < rank[needed]) {
      sendProblem(
        reply,
        'FORBIDDEN',
        `Diese Aktion erfordert die Rolle "${needed}". / This action requires the role "${needed}".`,
      );
      return;
    }
    req.principal = principal;
    done();
  });
});
