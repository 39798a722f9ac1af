import { beforeAll, describe, expect, it } from 'vitest';
import { callFromLine } from '../../src/calls/import-jsonl.ts';
import { upsertCall } from '../../src/calls/store.ts';
import { matchCalls } from '../../src/matching/service.ts';
import { newPage, seriousA11yViolations, signIn, useWeb, type WebFixture } from '../helpers/browser.ts';

/**
 * The reader pages in Chromium, in one order over one database: empty start → demo button →
 * search → measure page with feedback → call page, plus hostile titles. One browser for the file.
 */
describe('reader pages in Chromium', () => {
  const web = useWeb();
  let f: WebFixture;
  let adminToken: string;
  beforeAll(async () => {
    f = await web.start();
    adminToken = f.token('admin', 'Ada Admin');
  });

  it('shows how to get data on an empty start page, and loads the demo data from its button', async () => {
    const { page, problems, close } = await newPage(f);
    try {
      await signIn(page, adminToken);
      expect(
        await page.getByRole('heading', { name: 'Noch keine Förderaufrufe in der Datenbank.' }).count(),
      ).toBe(1);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Demodaten laden' }).click();
      await page.waitForURL(/\/\?demo=\d+$/);
      expect(await page.getByRole('status').textContent()).toMatch(
        /^\d{2,} Demo-Aufrufe geladen und bewertet\.$/,
      );
      expect(await page.getByRole('heading', { name: 'Quellen' }).count()).toBe(1);
      expect(await page.getByRole('heading', { name: 'Fristen in den nächsten 8 Wochen' }).count()).toBe(1);
      expect(await seriousA11yViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('searches with a German query, filters by status and pages on', async () => {
    const { page, problems, close } = await newPage(f);
    try {
      await signIn(page, f.token('reader', 'Rita Reader'), '/sign-in?next=%2Fsearch');
      await page.waitForURL(/\/search$/);
      await page.getByLabel('Suchbegriffe (deutsch oder englisch)').fill('Städtepartnerschaft');
      await page.getByRole('button', { name: 'Suchen' }).click();
      await page.waitForURL(/q=St%C3%A4dtepartnerschaft/);
      const cards = page.locator('ul.cards > li.card');
      expect(await cards.count()).toBeGreaterThan(0);
      const first = cards.first();
      expect(await first.locator('.score').textContent()).toMatch(/^Passung \d+\/100$/);
      expect(await first.textContent()).toMatch(/Frist: /);
      expect(await seriousA11yViolations(page)).toEqual([]);

      // Only calls without a deadline, then a second page of everything.
      await page.getByLabel('ohne Frist').check();
      await page.getByRole('button', { name: 'Suchen' }).click();
      await page.waitForURL(/status=open-ended/);
      const badges = await page.locator('ul.cards .badge').allTextContents();
      expect(badges.filter((b) => b === 'geschlossen')).toEqual([]);

      await page.goto('/search');
      await page.getByRole('link', { name: 'Nächste Seite' }).click();
      await page.waitForURL(/cursor=/);
      expect(await page.locator('ul.cards > li.card').count()).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('takes "relevant / not relevant" on a measure page and exports its list', async () => {
    const { page, problems, close } = await newPage(f);
    try {
      await signIn(page, f.token('reader', 'Paul Projekt'));
      await page.goto('/measures/staedtepartnerschaften-1');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Maßnahme 1.1');
      expect(await seriousA11yViolations(page)).toEqual([]);
      const cards = page.locator('ol.cards > li.card');
      const before = await cards.count();
      expect(before).toBeGreaterThan(1);
      const firstTitle = (await cards.first().locator('h3').textContent())!;
      await cards
        .first()
        .getByRole('button', { name: /^Nicht relevant/ })
        .click();
      await page.waitForURL(/saved=not_relevant/);
      expect(await page.getByRole('status').textContent()).toContain(firstTitle);
      expect(await page.locator('ol.cards h3').allTextContents()).not.toContain(firstTitle);

      const secondTitle = (await cards.first().locator('h3').textContent())!;
      await cards
        .first()
        .getByRole('button', { name: /^Relevant/ })
        .click();
      await page.waitForURL(/saved=relevant/);
      expect(await cards.first().locator('h3').textContent()).toBe(secondTitle);
      expect(await cards.first().getByText('von Ihnen als relevant markiert').count()).toBe(1);
      const rows = f.ctx.dbh.sqlite
        .prepare(
          `select f.verdict, t.name from feedback f join api_tokens t on t.id = f.token_id
            where f.target = 'staedtepartnerschaften-1' order by f.id`,
        )
        .all();
      expect(rows).toEqual([
        { verdict: 'not_relevant', name: 'Paul Projekt' },
        { verdict: 'relevant', name: 'Paul Projekt' },
      ]);

      const csvHref = await page.getByRole('link', { name: 'CSV (Excel)' }).getAttribute('href');
      const csv = await page.request.get(csvHref!);
      expect(csv.status()).toBe(200);
      expect(csv.headers()['content-type']).toContain('text/csv');
      const ics = await page.request.get(
        (await page.getByRole('link', { name: 'Kalender (ICS) herunterladen' }).getAttribute('href'))!,
      );
      expect(ics.status()).toBe(200);
      expect(await ics.text()).toContain('BEGIN:VCALENDAR');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('shows a call page with provenance and the why, and renders hostile titles as text', async () => {
    const hostile = [
      '<script>alert(1)</script> Städtepartnerschaft',
      '"><img src=x onerror=alert(2)> Städtepartnerschaft',
    ];
    f.ctx.dbh.db.transaction((tx) => {
      hostile.forEach((title, n) => {
        const { call } = callFromLine(
          {
            id: `hostile-${n}`,
            source: 'eu-ft',
            title,
            summary: `Town twinning for municipalities ${title}`,
            applicants: 'Towns and municipalities <b>bold</b>',
            deadlines: ['2099-01-15T17:00'],
          },
          new Date(),
        );
        // Import refuses such a link; a crawled one reaches the store, which must drop it.
        upsertCall(tx, { ...call, url: 'javascript:alert(3)' });
      });
    });
    matchCalls(f.ctx);
    const { page, problems, close } = await newPage(f);
    try {
      await signIn(page, f.token('reader', 'Hanna Hostile'));
      await page.goto('/search?q=St%C3%A4dtepartnerschaft&sort=newest');
      const titles = await page.locator('ul.cards h3').allTextContents();
      expect(titles).toEqual(expect.arrayContaining(hostile));
      expect(await page.locator('main img').count()).toBe(0);
      expect(await page.locator('main script').count()).toBe(0);

      await page.getByRole('link', { name: hostile[0] }).click();
      await page.waitForURL(/\/calls\/eu-ft%3Ahostile-0$/);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(hostile[0]);
      expect(await page.title()).toBe(`${hostile[0]} – foerdermatch`);
      expect(await page.getByText('Towns and municipalities <b>bold</b>').count()).toBe(1);
      // A javascript: URL is shown as text, never as a link.
      expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
      expect(await page.getByRole('heading', { name: 'Herkunft' }).count()).toBe(1);
      expect(await page.getByRole('heading', { name: 'Passung je Handlungsfeld und Maßnahme' }).count()).toBe(
        1,
      );
      expect(await page.getByText('Regeln, die nicht gegriffen haben').count()).toBeGreaterThan(0);
      expect(await page.locator('time').first().textContent()).toBe('15.01.2099, 17:00');
      expect(await page.getByText('(Brüsseler Zeit)').count()).toBeGreaterThan(0);
      expect(await seriousA11yViolations(page)).toEqual([]);
      expect(problems).toEqual([]); // no dialog opened, no CSP violation
    } finally {
      await close();
    }
  });
});
