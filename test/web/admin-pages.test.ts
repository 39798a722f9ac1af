import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCrawlRun } from '../../src/sources/status.ts';
import { EU_ROBOTS, serveEu } from '../crawlers/portals.ts';
import { newPage, seriousA11yViolations, signIn, useWeb, type WebFixture } from '../helpers/browser.ts';
import { FixtureServer } from '../helpers/fixture-server.ts';
import { PageClient } from '../helpers/web-inject.ts';

async function submit(page: Page, button: string | RegExp) {
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: button }).click()]);
}

describe('administration in Chromium: tokens, sources, access', () => {
  const portal = new FixtureServer();
  const env: NodeJS.ProcessEnv = { CRAWL_MIN_DELAY_MS: '0' };
  const web = useWeb(env);
  let f: WebFixture;
  beforeAll(async () => {
    const url = await serveEu(portal).start();
    // robots.txt answers slowly, so a crawl is still going when the second start arrives.
    portal.route('GET', '/robots.txt', () => ({ body: EU_ROBOTS, delayMs: 1500 }));
    Object.assign(env, { EU_FT_API_BASE_URL: url, EU_FT_PORTAL_BASE_URL: url });
    f = await web.start();
  });
  afterAll(async () => portal.close());

  it('creates a token shown once with its sign-in link, which signs the person in; revoking it ends that session', async () => {
    const admin = await newPage(f);
    const rita = await newPage(f);
    try {
      await signIn(admin.page, f.token('admin', 'Ada Admin'), '/sign-in?next=/admin');
      expect(await admin.page.getByRole('heading', { level: 1 }).textContent()).toBe('Administration');
      expect(await seriousA11yViolations(admin.page)).toEqual([]);
      await admin.page.getByRole('link', { name: 'Tokens' }).click();
      await admin.page.waitForURL(/\/admin\/tokens$/);
      expect(await seriousA11yViolations(admin.page)).toEqual([]);

      await admin.page.getByLabel('Name der Person').fill('Rita Reader');
      await admin.page.getByLabel('Rolle').selectOption('reader');
      await submit(admin.page, 'Token anlegen');
      const token = await admin.page.getByLabel('Token', { exact: true }).inputValue();
      const link = await admin.page.getByLabel('Anmeldelink').inputValue();
      expect(token).toMatch(/^fm_/);
      expect(link).toBe(`${f.base}/sign-in#token=${token}`);
      expect(await admin.page.getByRole('status').textContent()).toContain('nur jetzt');
      expect(await seriousA11yViolations(admin.page)).toEqual([]);
      // Listed without the token; shown once only.
      await admin.page.goto('/admin/tokens');
      expect(await admin.page.locator('tr', { hasText: 'Rita Reader' }).count()).toBe(1);
      expect(await admin.page.content()).not.toContain(token);

      // The link fills the form; Rita is a reader: no administration for her.
      await rita.page.goto(link);
      await submit(rita.page, 'Anmelden');
      expect(await rita.page.getByText('Angemeldet als Rita Reader').count()).toBe(1);
      for (const path of ['/admin', '/admin/rules', '/admin/tokens', '/admin/sources']) {
        const res = await rita.page.goto(path);
        expect(res?.status(), path).toBe(403);
        expect(await rita.page.getByRole('alert').textContent()).toContain('Administration');
      }

      await submit(admin.page, 'Token von Rita Reader widerrufen');
      expect(await admin.page.getByRole('status').textContent()).toContain('widerrufen');
      expect(await admin.page.locator('tr', { hasText: 'Rita Reader' }).textContent()).toContain(
        'widerrufen',
      );
      await rita.page.goto('/digest');
      expect(new URL(rita.page.url()).pathname).toBe('/sign-in');
      expect(admin.problems).toEqual([]);
    } finally {
      await admin.close();
      await rita.close();
    }
  });

  it('shows the sources, starts a crawl, refuses a second one while it runs, and lists its outcome', async () => {
    const { page, problems, close } = await newPage(f);
    try {
      await signIn(page, f.token('admin', 'Ada Admin'), '/sign-in?next=/admin/sources');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Quellen und Abrufe');
      expect(await page.getByText('Noch keine Abrufe.').count()).toBe(1);
      expect(await seriousA11yViolations(page)).toEqual([]);

      await submit(page, /^EU Funding .* jetzt abrufen$/);
      const status = await page.getByRole('status').textContent();
      const runId = Number(/Abruf (\d+) von EU Funding & Tenders Portal gestartet/.exec(status ?? '')?.[1]);
      expect(runId).toBeGreaterThan(0);

      // The same start again while it runs: the 409 page says so.
      const c = new PageClient(f.app);
      await c.signIn(f.token('admin', 'Ada Zwei'));
      const form = await c.get('/admin/sources');
      const again = await c.post('/admin/sources/eu-ft/crawl', { _csrf: PageClient.csrfOf(form.body) });
      expect(again.statusCode).toBe(409);
      expect(again.body).toContain('läuft bereits');
      // An unknown source is a clear error page, nothing started.
      const unknown = await c.post('/admin/sources/nowhere/crawl', { _csrf: PageClient.csrfOf(form.body) });
      expect(unknown.statusCode).toBe(400);

      await expect
        .poll(() => getCrawlRun(f.ctx, runId)?.outcome, { timeout: 30_000, interval: 200 })
        .not.toBe('running');
      await page.reload();
      // The runs table names the source and how the run was started, with its time in Berlin time.
      const row = page
        .locator('table')
        .nth(1)
        .locator('tr', { hasText: 'EU Funding & Tenders Portal' })
        .first();
      const text = await row.textContent();
      expect(text).toMatch(/erfolgreich|teilweise/);
      expect(text).toContain('(von Hand)');
      expect(text).toMatch(/\d\d\.\d\d\.\d{4}, \d\d:\d\d/);
      expect(await page.getByText('Alle Zeiten in Berliner Zeit.').count()).toBe(1);
      expect(await seriousA11yViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});
