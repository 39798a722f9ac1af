import { beforeAll, describe, expect, it } from 'vitest';
import { newPage, seriousA11yViolations, signIn, useWeb, type WebFixture } from '../helpers/browser.ts';

describe('sign-in in Chromium', () => {
  const web = useWeb();
  let f: WebFixture;
  beforeAll(async () => {
    f = await web.start();
  });

  it('leads a signed-out visitor through sign-in back to the page, then signs out', async () => {
    const { page, problems, close } = await newPage(f);
    try {
      await page.goto('/?from=digest');
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      expect(await page.locator('html').getAttribute('lang')).toBe('de');
      expect(await seriousA11yViolations(page)).toEqual([]);

      // Wrong token: an alert, still on the form.
      await page.getByLabel('Token').fill('fm_wrong');
      await page.getByRole('button', { name: 'Anmelden' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('unbekannt');

      await page.getByLabel('Token').fill(f.token('reader', 'Lena Lesend'));
      await page.getByRole('button', { name: 'Anmelden' }).click();
      await page.waitForURL(/\/\?from=digest$/);
      expect(await page.getByText('Angemeldet als Lena Lesend').count()).toBe(1);
      expect(await seriousA11yViolations(page)).toEqual([]);
      const cookies = await page.context().cookies();
      const session = cookies.find((c) => c.name === 'fm_session');
      expect(session?.httpOnly).toBe(true);
      expect(session?.sameSite).toBe('Lax');

      // A reader sees no administration entry.
      expect(await page.getByRole('link', { name: 'Administration' }).count()).toBe(0);

      await page.getByRole('button', { name: 'Abmelden' }).click();
      await page.waitForURL(/\/sign-in\?notice=out$/);
      expect(await page.getByRole('status').textContent()).toContain('abgemeldet');
      await page.goto('/');
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('fills the token from a sign-in link fragment and drops it from the address', async () => {
    const { page, problems, close } = await newPage(f);
    try {
      const token = f.token('admin', 'Ada Admin');
      await page.goto(`/sign-in#token=${token}`);
      expect(await page.getByLabel('Token').inputValue()).toBe(token);
      expect(page.url()).not.toContain(token);
      await signIn(page, token);
      expect(await page.getByRole('link', { name: 'Administration' }).count()).toBe(1);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('switches to English and back, keyboard first: the skip link is the first stop', async () => {
    const { page, problems, close } = await newPage(f);
    try {
      await page.goto('/sign-in');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Zum Inhalt springen');
      await page.getByRole('link', { name: 'Switch to English' }).click();
      await page.waitForURL(/lang=en/);
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
      await page.goto('/sign-in');
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      expect(await seriousA11yViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});
