import { beforeAll, describe, expect, it } from 'vitest';
import { callFromLine } from '../../src/calls/import-jsonl.ts';
import { upsertCall } from '../../src/calls/store.ts';
import { listTargetMatches } from '../../src/matches/list.ts';
import { matchCalls } from '../../src/matching/service.ts';
import { getPursuit } from '../../src/pursuits/get.ts';
import { newPage, seriousA11yViolations, signIn, useWeb, type WebFixture } from '../helpers/browser.ts';

const MEASURE = 'staedtepartnerschaften-1';
const TITLE = 'Netzwerke von Partnerstädten 2027';

/**
 * The funding pipeline in Chromium: a funding officer takes a call from a measure's page into the
 * pipeline, moves it to `bewilligt` with the granted amount and finds it on the coverage report;
 * a reader only reads. One browser, one database, in this order.
 */
describe('pipeline pages in Chromium', () => {
  const web = useWeb();
  let f: WebFixture;
  let ownerToken: string;
  beforeAll(async () => {
    f = await web.start();
    ownerToken = f.token('reader', 'Olga Owner');
    const deadline = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
    f.ctx.dbh.db.transaction((tx) => {
      const { call } = callFromLine(
        {
          id: 'CERV-2027-CITIZENS-TOWN-NT',
          source: 'eu-ft',
          title: TITLE,
          programme: 'Citizens, Equality, Rights and Values Programme (CERV)',
          summary: 'Networks of towns: town twinning for municipalities and partner cities.',
          applicants: 'Towns and municipalities, local authorities',
          deadlines: [`${deadline}T17:00`],
        },
        new Date(),
      );
      upsertCall(tx, call);
    });
    matchCalls(f.ctx);
  });

  it('seeds a call that the measure lists (precondition)', () => {
    const listed = listTargetMatches(f.ctx, MEASURE, {}, { tokenId: 0 }).items.map((i) => i.call.title);
    expect(listed).toContain(TITLE);
  });

  it('takes a call from the measure page into the pipeline, moves it to bewilligt and shows it on the coverage page', async () => {
    const { page, problems, close } = await newPage(f);
    try {
      await signIn(page, ownerToken);
      await page.goto(`/measures/${MEASURE}`);
      expect(await seriousA11yViolations(page)).toEqual([]);
      const card = page.locator('ol.cards > li.card', { hasText: TITLE });
      await card.getByText('In die Pipeline übernehmen', { exact: true }).first().click();
      await card.getByLabel('E-Mail für Erinnerungen').fill('olga@kiel.example');
      await Promise.all([
        page.waitForURL(/\/pipeline\/\d+\?created=1$/),
        card.getByRole('button', { name: 'In die Pipeline übernehmen' }).click(),
      ]);
      const id = Number(new URL(page.url()).pathname.split('/').pop());
      expect(await page.getByRole('status').textContent()).toContain('Der Aufruf ist jetzt in der Pipeline.');
      expect(await seriousA11yViolations(page)).toEqual([]);
      const moveButtons = page.locator('form[action$="/status"] button[name="status"]');
      // Only the legal next moves are offered: from beobachtet → in Prüfung or verworfen.
      expect(await moveButtons.allTextContents()).toEqual(['→ in Prüfung', '→ verworfen']);

      for (const label of ['in Prüfung', 'Antrag in Vorbereitung', 'eingereicht']) {
        await Promise.all([
          page.waitForURL(/saved=1$/),
          page.getByRole('button', { name: `→ ${label}` }).click(),
        ]);
      }
      expect(await moveButtons.allTextContents()).toEqual(['→ bewilligt', '→ abgelehnt', '→ verworfen']);
      await page.getByLabel('Beantragt (EUR)').fill('200.000');
      await Promise.all([
        page.waitForURL(/saved=1$/),
        page.getByRole('button', { name: 'Speichern' }).click(),
      ]);
      await page.locator('form[action$="/status"]').getByLabel('Bewilligt (EUR)').fill('150.000');
      await Promise.all([
        page.waitForURL(/saved=1$/),
        page.getByRole('button', { name: '→ bewilligt' }).click(),
      ]);

      const p = getPursuit(f.ctx, id);
      expect(p).toMatchObject({ status: 'bewilligt', amountApplied: 200_000, amountGranted: 150_000 });
      expect(p.measures).toEqual([MEASURE]);
      expect(await moveButtons.count()).toBe(0);
      expect(await page.locator('main').textContent()).toContain('Endstatus: keine weiteren Schritte.');
      // A forged illegal move (bewilligt is final) is refused with a page and changes nothing.
      const csrf = await page.locator('input[name="_csrf"]').first().getAttribute('value');
      const illegal = await page.request.post(`/pipeline/${id}/status`, {
        form: { _csrf: csrf ?? '', status: 'beobachtet' },
      });
      expect(illegal.status()).toBe(409);
      expect(await illegal.text()).toContain('nicht erlaubt');
      expect(getPursuit(f.ctx, id).status).toBe('bewilligt');

      await page.goto('/pipeline?owner=me');
      expect(await seriousA11yViolations(page)).toEqual([]);
      const row = page.locator('table.data tbody tr', { hasText: TITLE });
      expect(await row.locator('td').nth(1).textContent()).toBe('bewilligt');

      await page.goto('/coverage');
      expect(await seriousA11yViolations(page)).toEqual([]);
      const measureRow = page.locator('table.data tbody tr', {
        has: page.locator(`a[href="/measures/${MEASURE}"]`),
      });
      expect(await measureRow.textContent()).toContain('bewilligt: 1 (beantragt 200.000, bewilligt 150.000)');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('shows a reader the pursuit without any edit form, and refuses a reader’s move', async () => {
    const { page, problems, close } = await newPage(f);
    try {
      await signIn(page, f.token('reader', 'Rita Reader'));
      await page.goto('/pipeline');
      await page.getByRole('link', { name: TITLE }).click();
      expect(await page.locator('main').textContent()).toContain(
        'Nur die verantwortliche Person oder die Administration kann dieses Vorhaben ändern.',
      );
      expect(await page.locator('main form').count()).toBe(0);
      expect(await seriousA11yViolations(page)).toEqual([]);
      const id = Number(new URL(page.url()).pathname.split('/').pop());
      const csrf = await page.locator('input[name="_csrf"]').first().getAttribute('value');
      for (const [path, form] of [
        ['status', { status: 'verworfen' }],
        ['notes', { text: 'Rita was here' }],
        ['edit', { ownerEmail: 'rita@kiel.example', amountApplied: '1' }],
      ] as const) {
        const res = await page.request.post(`/pipeline/${id}/${path}`, {
          form: { _csrf: csrf ?? '', ...form },
        });
        expect(res.status()).toBe(403);
      }
      // The call page offers the form too (a choice of measures) and stays accessible.
      await page.getByRole('link', { name: TITLE }).first().click();
      const options = page.locator('form[action="/pipeline"] select[name="measures"] option');
      expect(await options.count()).toBeGreaterThanOrEqual(60);
      expect(await page.locator(`form[action="/pipeline"] option[value="${MEASURE}"]`).count()).toBe(1);
      expect(await seriousA11yViolations(page)).toEqual([]);
      const after = getPursuit(f.ctx, id);
      expect(after).toMatchObject({
        status: 'bewilligt',
        amountApplied: 200_000,
        owner: { email: 'olga@kiel.example' },
      });
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});
