/**
 * `npm run screenshots`: a PNG of each page, in German and a few in English, into
 * `screenshots/` (git-ignored), for reviewers. Starts the app on a free port with a fresh
 * database in a temporary folder, loads the demo data and signs in as an administrator.
 * `npm run screenshots -- --viewport` takes only the first screen of each page.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.ts';
import { createToken } from '../src/auth/tokens.ts';
import { testConfig } from '../src/config.ts';
import { createContext, createLogger } from '../src/context.ts';
import { loadDemo } from '../src/demo/load.ts';
import { fromPackage } from '../src/paths.ts';
import { launchChromium } from './chromium.ts';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

const out = fromPackage('screenshots');
mkdirSync(out, { recursive: true });
const dir = mkdtempSync(join(tmpdir(), 'foerdermatch-shots-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const config = testConfig({
  DATABASE_PATH: join(dir, 'shots.db'),
  OUTBOX_DIR: join(dir, 'outbox'),
  PUBLIC_BASE_URL: base,
});
const ctx = createContext(config, createLogger(config));
const app = await buildApp(config, { context: ctx });
await app.listen({ port, host: '127.0.0.1' });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, baseURL: base });
  const shot = async (name: string, path: string) => {
    await page.goto(path);
    await page.screenshot({ path: join(out, `${name}.png`), fullPage: !process.argv.includes('--viewport') });
    process.stdout.write(`${name}.png  ${path}\n`);
  };
  await shot('01-sign-in', '/sign-in?next=%2F');
  await page.getByLabel('Token').fill(createToken(ctx.dbh.db, { name: 'Ada Admin', role: 'admin' }).token);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.waitForURL(`${base}/`);
  await shot('02-start-empty', '/');
  loadDemo(ctx);
  await shot('03-start', '/');
  await shot('04-search', '/search?q=St%C3%A4dtepartnerschaft');
  await shot('05-search-filters', '/search?status=open-ended&actionField=staedtepartnerschaften&minScore=20');
  await shot('06-fields', '/fields');
  const field =
    ctx.concept.concept.actionFields.find((f) => f.key === 'staedtepartnerschaften') ??
    ctx.concept.concept.actionFields[0]!;
  await shot('07-field', `/fields/${field.key}`);
  await shot('08-measure', `/measures/${field.measures[0]!.id}`);
  const top = ctx.dbh.sqlite
    .prepare('select call_id from matches order by score desc limit 1')
    .pluck()
    .get() as string;
  await shot('09-call', `/calls/${encodeURIComponent(top)}`);
  await shot('10-search-en', '/search?q=town+twinning&lang=en');
  await shot('11-call-en', `/calls/${encodeURIComponent(top)}?lang=en`);
  await shot('12-digest', '/digest?lang=de');
  await shot('13-admin', '/admin');
  await shot('14-admin-rules', '/admin/rules');
  await shot('15-admin-tokens', '/admin/tokens');
  await shot('16-admin-sources', '/admin/sources');
  // The pipeline: take the measure's best call in through the form, move it to "eingereicht".
  await page.goto(`/measures/${field.measures[0]!.id}?lang=de`);
  const card = page.locator('ol.cards > li.card').first();
  await card.getByText('In die Pipeline übernehmen', { exact: true }).first().click();
  await card.getByLabel('E-Mail für Erinnerungen').fill('ada@kiel.example');
  await Promise.all([
    page.waitForURL(/created=1/),
    card.getByRole('button', { name: 'In die Pipeline übernehmen' }).click(),
  ]);
  const pursuit = new URL(page.url()).pathname;
  for (const label of ['in Prüfung', 'Antrag in Vorbereitung', 'eingereicht']) {
    await Promise.all([page.waitForURL(/saved=1/), page.getByRole('button', { name: `→ ${label}` }).click()]);
  }
  await page.getByLabel('Neue Notiz').fill('Antrag mit Gdynia und Tampere abgestimmt.');
  await Promise.all([
    page.waitForURL(/saved=1/),
    page.getByRole('button', { name: 'Notiz hinzufügen' }).click(),
  ]);
  await shot('17-pipeline', '/pipeline');
  await shot('18-pursuit', pursuit);
  await shot('19-coverage', '/coverage');
  await shot('20-pursuit-en', `${pursuit}?lang=en`);
  process.stdout.write(`→ ${out}\n`);
} finally {
  await browser.close();
  await app.close();
  ctx.dbh.close();
  rmSync(dir, { recursive: true, force: true });
}
