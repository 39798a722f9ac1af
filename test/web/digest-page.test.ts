import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { subscriberOwners, subscribers } from '../../db/schema/index.ts';
import { createToken } from '../../src/auth/tokens.ts';
import { newPage, seriousA11yViolations, signIn, useWeb, type WebFixture } from '../helpers/browser.ts';
import { daysAhead, seedCalls } from '../helpers/seed-calls.ts';
import { PageClient } from '../helpers/web-inject.ts';

async function submit(page: Page, button: string) {
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: button }).click()]);
}

describe('My digest in Chromium', () => {
  const web = useWeb();
  let f: WebFixture;
  beforeAll(async () => {
    f = await web.start();
    seedCalls(f.ctx, [
      {
        id: 'bsr-small',
        source: 'interreg',
        programme: 'Interreg Baltic Sea Region 2021-2027',
        title: 'Small projects for Baltic Sea cooperation of cities',
        summary:
          'Interreg Baltic Sea Region funds small projects of municipalities and public authorities around the Baltic Sea: cooperation of cities, the EU Strategy for the Baltic Sea Region, joint solutions.',
        applicants: 'Public authorities, municipalities, NGOs',
        deadlines: [daysAhead(45)],
      },
    ]);
  });

  const row = (email: string) =>
    f.ctx.dbh.db.select().from(subscribers).where(eq(subscribers.email, email)).get();

  it('subscribes (errors at the fields, nothing lost), previews the real digest, unsubscribes and subscribes again', async () => {
    const { page, problems, close } = await newPage(f);
    try {
      await signIn(page, f.token('reader', 'Frida Förder'), '/sign-in?next=/digest');
      expect(new URL(page.url()).pathname).toBe('/digest');
      expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Frida Förder');
      expect(await seriousA11yViolations(page)).toEqual([]);

      // A bad address and nothing chosen: both errors at their fields, the typed values kept.
      await page.getByLabel('E-Mail-Adresse').fill('not-an-address');
      await page.getByLabel('Mindestpassung (0–100)').fill('35');
      await submit(page, 'Digest abonnieren');
      expect(await page.getByRole('alert').textContent()).toContain('nichts wurde gespeichert');
      expect(await page.locator('#email-error').textContent()).toContain('E-Mail-Adresse');
      expect(await page.locator('#targets-error').textContent()).toContain('Handlungsfeld');
      expect(await page.getByLabel('E-Mail-Adresse').getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByLabel('E-Mail-Adresse').inputValue()).toBe('not-an-address');
      expect(await page.getByLabel('Mindestpassung (0–100)').inputValue()).toBe('35');
      expect(row('not-an-address')).toBeUndefined();
      expect(await seriousA11yViolations(page)).toEqual([]);

      await page.getByLabel('E-Mail-Adresse').fill('Frida@Kiel.example');
      await page.locator('#af-ostseeraum').check();
      await page.getByLabel('Mindestpassung (0–100)').fill('1');
      await page.getByLabel('Rhythmus').selectOption('daily');
      await submit(page, 'Digest abonnieren');
      expect(await page.getByRole('status').textContent()).toContain('abonniert');
      const sub = row('frida@kiel.example')!;
      expect(sub).toMatchObject({
        actionFields: ['ostseeraum'],
        cadence: 'daily',
        minScore: 1,
        active: true,
      });
      const owner = f.ctx.dbh.db
        .select()
        .from(subscriberOwners)
        .where(eq(subscriberOwners.subscriberId, sub.id))
        .get();
      expect(owner?.tokenId).toBeGreaterThan(0);

      // The preview is the digest as composed and rendered for sending: the call is in it.
      expect(await page.getByText(/^Betreff: /).count()).toBe(1);
      const frame = page.frameLocator('iframe.digest-preview');
      await expect.poll(() => frame.locator('body').textContent()).toContain('Small projects for Baltic Sea');
      expect(await seriousA11yViolations(page)).toEqual([]);

      // Changing a setting keeps the rest.
      await page.locator('#m-ostseeraum-1').check();
      await submit(page, 'Änderungen speichern');
      expect(await page.getByRole('status').textContent()).toContain('Gespeichert');
      expect(row('frida@kiel.example')).toMatchObject({
        measures: ['ostseeraum-1'],
        actionFields: ['ostseeraum'],
      });

      await submit(page, 'Abbestellen');
      expect(await page.getByRole('status').textContent()).toContain('abbestellt');
      expect(row('frida@kiel.example')?.active).toBe(false);
      expect(await page.locator('iframe.digest-preview').count()).toBe(0);

      await submit(page, 'Wieder abonnieren');
      expect(row('frida@kiel.example')?.active).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it("keeps a reader out of another person's subscription; an administrator sees every subscriber", async () => {
    const owner = createToken(f.ctx.dbh.db, { name: 'Olga', role: 'reader' }).token;
    const a = new PageClient(f.app);
    await a.signIn(owner);
    const form = await a.get('/digest');
    const created = await a.post('/digest', {
      _csrf: PageClient.csrfOf(form.body),
      name: 'Olga',
      email: 'olga@kiel.example',
      language: 'en',
      cadence: 'weekly',
      minScore: '40',
      measures: 'ostseeraum-2',
    });
    expect(created.statusCode).toBe(303);
    const id = row('olga@kiel.example')!.id;

    const other = new PageClient(f.app);
    await other.signIn(createToken(f.ctx.dbh.db, { name: 'Max', role: 'reader' }).token);
    expect((await other.get(`/digest?subscriber=${id}`)).statusCode).toBe(403);
    expect((await other.get(`/digest/${id}/preview.html`)).statusCode).toBe(403);
    const page = await other.get('/digest');
    const csrf = PageClient.csrfOf(page.body);
    const forged = await other.post(`/digest/${id}/active`, { _csrf: csrf, active: '0' });
    expect(forged.statusCode).toBe(403);
    expect(row('olga@kiel.example')?.active).toBe(true);
    // A second subscription for the same address is refused at the address field.
    const dup = await other.post('/digest', {
      _csrf: csrf,
      name: 'Max',
      email: 'OLGA@kiel.example',
      minScore: '40',
      actionFields: 'ostseeraum',
    });
    expect(dup.statusCode).toBe(400);
    expect(dup.body).toContain('id="email-error"');

    const admin = new PageClient(f.app);
    await admin.signIn(f.token('admin', 'Ada'));
    const list = await admin.get('/digest');
    expect(list.body).toContain('olga@kiel.example');
    const theirs = await admin.get(`/digest?subscriber=${id}`);
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).toContain('Digest von Olga');
    const preview = await admin.get(`/digest/${id}/preview.html`);
    expect(preview.statusCode).toBe(200);
    expect(preview.headers['content-security-policy']).toContain("default-src 'none'");
  });
});
