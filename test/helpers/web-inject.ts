import type { App } from '../../src/app.ts';

/**
 * A tiny cookie-keeping client over `app.inject`, for page tests that need no browser (status
 * codes, headers, CSRF refusals). Browser behaviour is tested with Chromium in test/web.
 */
export class PageClient {
  readonly cookies = new Map<string, string>();
  constructor(private readonly app: App) {}

  private remember(setCookie: string | string[] | undefined): void {
    for (const line of [setCookie ?? []].flat()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string) {
    const res = await this.app.inject({ method: 'GET', url, headers: { cookie: this.header() } });
    this.remember(res.headers['set-cookie'] as string | string[] | undefined);
    return res;
  }

  async post(url: string, form: Record<string, string>) {
    const res = await this.app.inject({
      method: 'POST',
      url,
      headers: { cookie: this.header(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(form).toString(),
    });
    this.remember(res.headers['set-cookie'] as string | string[] | undefined);
    return res;
  }

  /** The `_csrf` value of the first form on a page. */
  static csrfOf(html: string): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (!m) throw new Error('no _csrf field on the page');
    return m[1]!;
  }

  /** Signs in through the form; returns the response of the POST. */
  async signIn(token: string, next?: string) {
    const page = await this.get(next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in');
    return this.post('/sign-in', { _csrf: PageClient.csrfOf(page.body), token, ...(next ? { next } : {}) });
  }
}
