import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { getActiveRuleSet, listRuleSetVersions, saveRuleSet } from '../../src/matching/service.ts';
import { newPage, seriousA11yViolations, signIn, useWeb, type WebFixture } from '../helpers/browser.ts';
import { daysAhead, seedCalls } from '../helpers/seed-calls.ts';

const measure = 'ostseeraum-1';
const hostile = 'Baltic youth exchange <img src=x onerror=alert(1)>';

/**
 * A small rule set of our own for the test: no text relevance, so a call's score comes from
 * these two rules alone and the order of the list is known: twinning (30 points) before
 * Baltic (20 points); a third call fires neither and stays out of the list.
 */
const testRules = {
  scoring: { textWeight: 0, minScore: 1 },
  rules: [
    {
      id: 'test-twinning',
      name: 'Städtepartnerschaft',
      target: measure,
      conditions: { all: [{ fact: 'title', operator: 'containsAny', value: ['twinning'] }] },
      effect: { type: 'add', points: 30 },
    },
    {
      id: 'test-baltic',
      name: 'Ostsee',
      target: measure,
      conditions: { all: [{ fact: 'text', operator: 'containsAny', value: ['baltic'] }] },
      effect: { type: 'add', points: 20 },
    },
  ],
};

async function submit(page: Page, button: string) {
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: button }).click()]);
}

async function editRules(page: Page, change: (rules: typeof testRules) => void) {
  const area = page.getByLabel('Regeln (JSON)');
  const rules = JSON.parse(await area.inputValue());
  change(rules);
  await area.fill(JSON.stringify(rules, null, 2));
}

describe('rules editor in Chromium', () => {
  const web = useWeb();
  let f: WebFixture;
  beforeAll(async () => {
    f = await web.start();
    saveRuleSet(f.ctx, { rules: testRules, author: 'test', comment: 'Testregeln' });
    seedCalls(f.ctx, [
      { id: 'twin', title: 'Town twinning call', summary: 'Citizens meet.', deadlines: [daysAhead(40)] },
      {
        id: 'baltic',
        title: hostile,
        summary: 'Youth from the Baltic Sea region.',
        deadlines: [daysAhead(30)],
      },
      { id: 'other', title: 'Soil research', summary: 'Laboratories.', deadlines: [daysAhead(20)] },
    ]);
  });

  it('shows errors at their path, previews old → new positions with titles, saves, lists and rolls back', async () => {
    const { page, problems, close } = await newPage(f);
    try {
      await signIn(page, f.token('admin', 'Ada Admin'), '/sign-in?next=/admin/rules');
      expect(new URL(page.url()).pathname).toBe('/admin/rules');
      expect(await seriousA11yViolations(page)).toEqual([]);
      const versionsBefore = listRuleSetVersions(f.ctx).length;

      // Out of range: the error names its path, the draft comes back as sent, nothing is saved.
      await editRules(page, (r) => {
        r.rules[1]!.effect.points = 500;
      });
      await submit(page, 'Vorschau');
      const alert = page.getByRole('alert');
      expect(await alert.textContent()).toContain('rules.1.effect.points');
      expect(await page.getByLabel('Regeln (JSON)').inputValue()).toContain('"points": 500');
      expect(listRuleSetVersions(f.ctx).length).toBe(versionsBefore);

      // Broken JSON is an error too, not a crash.
      await page.getByLabel('Regeln (JSON)').fill('{ "rules": [');
      await submit(page, 'Vorschau');
      expect(await page.getByRole('alert').textContent()).toContain('JSON');

      // Baltic from 20 to 60 points: it overtakes the twinning call.
      await page.goto('/admin/rules');
      await editRules(page, (r) => {
        r.rules[1]!.effect.points = 60;
      });
      await submit(page, 'Vorschau');
      const table = page.locator('table.diff', { hasText: measure });
      expect(await table.count()).toBe(1);
      const positions = async (title: string) =>
        (await table.locator('tr', { hasText: title }).locator('td.positions').first().textContent())?.trim();
      expect(await positions(hostile)).toBe('2 → 1');
      expect(await positions('Town twinning call')).toBe('1 → 2');
      expect(await table.locator('tr', { hasText: 'Soil research' }).count()).toBe(0);
      // The hostile title is text: no element was made of it.
      expect(await page.locator('table.diff img').count()).toBe(0);
      expect(await seriousA11yViolations(page)).toEqual([]);
      expect(listRuleSetVersions(f.ctx).length).toBe(versionsBefore);

      // Saving needs a comment; then the new version is active and listed.
      await submit(page, 'Mit Kommentar speichern');
      expect(await page.getByRole('alert').textContent()).toContain('Kommentar');
      await page.getByLabel('Kommentar', { exact: true }).fill('Ostsee stärker gewichten');
      await submit(page, 'Mit Kommentar speichern');
      const saved = getActiveRuleSet(f.ctx);
      expect(saved.comment).toBe('Ostsee stärker gewichten');
      expect(await page.getByRole('status').textContent()).toContain(`Version ${saved.version}`);
      const row = page.locator('tr', { hasText: 'Ostsee stärker gewichten' });
      expect(await row.textContent()).toContain('gilt');

      // Rollback to the test rules: a new version copying them, Baltic back at 20 points.
      const base = saved.version - 1;
      await submit(page, `Version ${base} wiederherstellen`);
      const rolled = getActiveRuleSet(f.ctx);
      expect(rolled.version).toBe(saved.version + 1);
      expect((rolled.rules.rules[1]!.effect as { points: number }).points).toBe(20);
      expect(await page.getByRole('status').textContent()).toContain(`Version ${rolled.version}`);
      expect(await page.locator('tr', { hasText: `Wiederhergestellt aus Version ${base}` }).count()).toBe(1);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});
