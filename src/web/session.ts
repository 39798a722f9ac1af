import { parseCookie, type SerializeOptions, stringifySetCookie } from 'cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import type { AppContext } from '../context.ts';
import type { TokenRole } from '../domain/enums.ts';
import { pickLang, translator } from './i18n.ts';
import { sendMessagePage } from './render.tsx';
import { findSession, randomSecret, SESSION_TTL_MS, sameSecret } from './session-store.ts';
import './view.ts';

export const SESSION_COOKIE = 'fm_session';
/** Form secret before sign-in (double-submit: the sign-in form carries the same value). */
export const PRE_CSRF_COOKIE = 'fm_csrf';
export const LANG_COOKIE = 'fm_lang';

/**
 * The pages' policy: only this origin's files, no inline scripts or styles, forms post here
 * only. Set on `config.page` routes instead of the general page set (which lets Swagger UI run).
 */
const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/** HttpOnly, SameSite=Lax, whole site; Secure when the public address is https. */
export function cookieOptions(config: Config, maxAgeSeconds?: number): SerializeOptions {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.publicBaseUrl.startsWith('https:'),
    ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}),
  };
}

/** Adds a Set-Cookie header (fastify appends set-cookie headers rather than replacing them). */
export function setCookie(reply: FastifyReply, name: string, value: string, options: SerializeOptions): void {
  reply.header('set-cookie', stringifySetCookie(name, value, options));
}

export function clearCookie(reply: FastifyReply, config: Config, name: string): void {
  setCookie(reply, name, '', { ...cookieOptions(config, 0), expires: new Date(0) });
}

/**
 * Session cookies for page routes. Registered before the auth plugin: on a `config.page` route
 * it reads the cookies, picks the language, finds the session and sets `req.principal`, which
 * the auth hook then checks through `pageGate` (redirect to sign-in instead of 401). POSTs to
 * pages must carry the session's CSRF secret (or, signed out, the pre-session cookie's).
 * Other routes are left alone: the JSON API keeps bearer tokens and parses no cookies.
 */
export const webSessionPlugin = fp(async (app: FastifyInstance, opts: { ctx: AppContext }) => {
  const { config } = opts.ctx;

  app.addHook('onRequest', (req, reply, done) => {
    if (req.routeOptions.config?.page !== true) return done();
    // Cookies are read on page routes only, not on every API request.
    const cookies = parseCookie(req.headers.cookie ?? '');
    const queryLang = (req.query as Record<string, unknown> | undefined)?.lang;
    const lang = pickLang(queryLang, cookies[LANG_COOKIE]);
    if (queryLang === lang && cookies[LANG_COOKIE] !== lang) {
      setCookie(reply, LANG_COOKIE, lang, { ...cookieOptions(config, 365 * 86_400), httpOnly: false });
    }
    let session: ReturnType<typeof findSession>;
    try {
      const value = cookies[SESSION_COOKIE];
      session = value ? findSession(opts.ctx.dbh.db, value) : undefined;
    } catch (err) {
      return done(err as Error);
    }
    let csrf = session?.csrf ?? cookies[PRE_CSRF_COOKIE];
    if (!csrf) {
      csrf = randomSecret();
      setCookie(reply, PRE_CSRF_COOKIE, csrf, cookieOptions(config));
    }
    if (session) req.principal = session.principal;
    req.web = {
      lang,
      csrf,
      ...(session
        ? {
            sessionIdHash: session.idHash,
            ...(session.previousVisitAt ? { previousVisitAt: session.previousVisitAt } : {}),
          }
        : {}),
    };
    reply.header('content-security-policy', PAGE_CSP);
    reply.header('cache-control', 'no-store');
    reply.header('referrer-policy', 'same-origin');
    done();
  });

  // After the body is parsed and before it is validated: every POST to a page carries the form
  // secret, and a forged form is refused before anything else looks at it.
  app.addHook('preValidation', (req, reply, done) => {
    if (req.routeOptions.config?.page !== true || req.method !== 'POST') return done();
    const given = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (!req.web || !sameSecret(given, req.web.csrf)) {
      sendMessagePage(req, reply, 403, translator(req.web?.lang ?? 'de')('error.csrf'));
      return;
    }
    done();
  });
});

const rank: Record<TokenRole, number> = { reader: 1, admin: 2 };

/**
 * Access to a private page, called by the auth hook for `config.page` routes: signed out, a GET
 * is redirected to sign-in with its path to come back to; too low a role gets a 403 page.
 * Returns true when the request may go on.
 */
export function pageGate(req: FastifyRequest, reply: FastifyReply, role: TokenRole = 'reader'): boolean {
  if (!req.principal) {
    const next = req.method === 'GET' || req.method === 'HEAD' ? req.url : '/';
    const target = next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`;
    reply.redirect(target, 303);
    return false;
  }
  if (rank[req.principal.role] < rank[role]) {
    const t = translator(req.web?.lang ?? 'de');
    sendMessagePage(req, reply, 403, t('error.forbidden', { role: t(`role.${role}`) }));
    return false;
  }
  return true;
}

export const sessionMaxAgeSeconds = Math.floor(SESSION_TTL_MS / 1000);
