import type { FastifyRequest } from 'fastify';
import type { TokenPrincipal } from '../auth/tokens.ts';
import { type Lang, type Translate, translator } from './i18n.ts';

/** What every page component gets: language, texts, the signed-in person and the form secret. */
export interface View {
  lang: Lang;
  t: Translate;
  principal?: TokenPrincipal;
  /** The value of every form's hidden `_csrf` field. */
  csrf: string;
  /** Path and query of this request (for the language switch and return paths). */
  url: string;
  /** The person's previous visit (from the session), for "new since my last visit". */
  previousVisitAt?: string;
}

/** Per-request page state, set by the session hook (src/web/session.ts) on `config.page` routes. */
export interface WebState {
  lang: Lang;
  csrf: string;
  sessionIdHash?: string;
  previousVisitAt?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    web?: WebState;
  }
  interface FastifyContextConfig {
    /** An HTML page: session cookie instead of bearer token, redirect to sign-in, CSRF on POST. */
    page?: boolean;
  }
}

export function viewOf(req: FastifyRequest): View {
  const web = req.web ?? { lang: 'de' as const, csrf: '' };
  return {
    lang: web.lang,
    t: translator(web.lang),
    csrf: web.csrf,
    url: req.url,
    ...(req.principal ? { principal: req.principal } : {}),
    ...(web.previousVisitAt ? { previousVisitAt: web.previousVisitAt } : {}),
  };
}

/** The same URL with one query parameter set (the language switch, paging links). */
export function withParam(url: string, name: string, value: string): string {
  const u = new URL(url, 'http://x');
  u.searchParams.set(name, value);
  return `${u.pathname}${u.search}`;
}

export function withoutParam(url: string, name: string): string {
  const u = new URL(url, 'http://x');
  u.searchParams.delete(name);
  return `${u.pathname}${u.search}`;
}

/**
 * A return path after sign-in: only a same-origin relative path ("/x", not "//host" or
 * "/\host", no scheme, no control characters); anything else becomes "/".
 */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return '/';
  const u = new URL(value, 'http://x');
  if (u.host !== 'x' || u.pathname.startsWith('/sign-')) return '/';
  return `${u.pathname}${u.search}`;
}
