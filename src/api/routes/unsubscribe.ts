import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { findByUnsubscribeToken, unsubscribe } from '../../digest/subscribers.ts';
import { type UnsubscribePageKind, unsubscribePage } from '../../digest/unsubscribe-page.ts';
import { sendProblem } from '../problem.ts';

const params = z.object({ token: z.string().min(1).max(200) });

/** People (browsers) get a page; programs get problem+json like everywhere else. */
const wantsHtml = (accept: string | undefined) => accept?.includes('text/html') === true;
const unknownProblem = (reply: FastifyReply) =>
  sendProblem(reply, 'NOT_FOUND', 'Unbekannter Abmeldelink / unknown unsubscribe link.');

/**
 * One-click unsubscribe, outside /api (no API token: the link's token is the credential).
 * GET shows a confirmation button rather than unsubscribing, because mail scanners follow
 * links; POST unsubscribes — that is what mail clients send for `List-Unsubscribe-Post`
 * (RFC 8058) and what the button submits.
 */
export function unsubscribeRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    // RFC 8058 clients post a form body; its content does not matter, so it is read and ignored.
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data'])
      app.addContentTypeParser(type, { parseAs: 'string', bodyLimit: 4096 }, (_req, _body, done) =>
        done(null, {}),
      );

    const page = (
      reply: { status: (n: number) => unknown; header: (k: string, v: string) => unknown },
      kind: UnsubscribePageKind,
    ) => {
      reply.status(kind === 'unknown' ? 404 : 200);
      reply.header('content-type', 'text/html; charset=utf-8');
      reply.header('cache-control', 'no-store');
      reply.header('referrer-policy', 'no-referrer');
      reply.header('x-robots-tag', 'noindex');
      reply.header(
        'content-security-policy',
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
      );
    };
    const schema = { tags: ['digest'], params, hide: false };
    // The link's own secret is the credential: the page must open from a mail without a token.
    const config = { public: true } as const;

    app.get(
      '/unsubscribe/:token',
      { config, schema: { ...schema, summary: 'Abmeldeseite / unsubscribe confirmation page (HTML)' } },
      async (req, reply) => {
        const s = findByUnsubscribeToken(ctx, req.params.token);
        if (!s && !wantsHtml(req.headers.accept)) return unknownProblem(reply);
        const kind: UnsubscribePageKind = !s ? 'unknown' : s.active ? 'confirm' : 'already';
        page(reply, kind);
        return reply.send(unsubscribePage(kind, s?.email));
      },
    );
    app.post(
      '/unsubscribe/:token',
      {
        config,
        schema: { ...schema, summary: 'Abmelden mit einem Klick / one-click unsubscribe (RFC 8058)' },
      },
      async (req, reply) => {
        const s = unsubscribe(ctx, req.params.token);
        if (!s && !wantsHtml(req.headers.accept)) return unknownProblem(reply);
        if (s) ctx.logger.info({ subscriber: s.id }, 'subscriber unsubscribed');
        const kind: UnsubscribePageKind = s ? 'done' : 'unknown';
        page(reply, kind);
        return reply.send(unsubscribePage(kind, s?.email));
      },
    );
  };
}
