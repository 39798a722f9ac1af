/**
 * Addresses of the web pages, for everything that links to them from outside (mails, feeds, the
 * CLI). Keep these in step with the routes under src/web/pages.
 */

/**
 * A sign-in link that carries the token in the fragment: browsers never send a fragment to the
 * server, so the token stays out of logs and Referer headers; /static/app.js fills it into the
 * form (without JavaScript the person pastes it).
 */
export function signInLink(base: string, token: string): string {
  return `${base}/sign-in#token=${encodeURIComponent(token)}`;
}

export const callPagePath = (id: number | string) => `/calls/${encodeURIComponent(String(id))}`;
export const fieldPagePath = (code: string) => `/fields/${encodeURIComponent(code)}`;
export const measurePagePath = (code: string) => `/measures/${encodeURIComponent(code)}`;
