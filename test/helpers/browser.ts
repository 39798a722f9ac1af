import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll } from 'vitest';
import { launchChromium } from '../../scripts/chromium.ts';
import { type App, buildApp } from '../../src/app.ts';
import { createToken } from '../../src/auth/tokens.ts';
import type { AppContext } from '../../src/context.ts';
import { useTestContext } from './context.ts';

/**
 * Browser tests: the real app on a real port with a real SQLite file, driven by the system's
 * Chromium (Debian's `chromium`, installed by .ci/run) through playwright-core. If no browser
 * can be found or started, the tests fail: nothing is skipped.
 */

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface WebFixture {
  ctx: AppContext;
  app: App;
  browser: Browser;
  /** http://127.0.0.1:<port> */
  base: string;
  /** A fresh token of the role (its plain value, for the sign-in form). */
  token: (role?: 'reader' | 'admin', name?: string) => string;
}

/**
 * Starts the app (fresh database, real port) and one browser per test file; both are closed
 * after the file. Use as `const web = useWeb(); beforeAll(async () => { f = await web.start(); })`.
 */
export function useWeb(env: NodeJS.ProcessEnv = {}): { start: () => Promise<WebFixture> } {
  const makeCtx = useTestContext();
  const started: WebFixture[] = [];
  afterAll(async () => {
    for (const f of started.splice(0)) {
      await f.browser.close();
      await f.app.close();
    }
  });
  return {
    start: async () => {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const ctx = makeCtx({ PUBLIC_BASE_URL: base, ...env });
      const app = await buildApp(ctx.config, { context: ctx });
      await app.listen({ port, host: '127.0.0.1' });
      let browser: Browser;
      try {
        browser = await launchChromium();
      } catch (err) {
        await app.close();
        throw err;
      }
      const f: WebFixture = {
        ctx,
        app,
        browser,
        base,
        token: (role = 'reader', name = `person-${role}`) => createToken(ctx.dbh.db, { name, role }).token,
      };
      started.push(f);
      return f;
    },
  };
}

/**
 * A new page (own browser context, so own cookies) that fails the test on any Content-Security-
 * Policy violation or script error: inline scripts or styles must not sneak into the pages.
 */
export async function newPage(
  f: WebFixture,
): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> {
  const context = await f.browser.newContext({ baseURL: f.base });
  const page = await context.newPage();
  const problems: string[] = [];
  // Errors in the console (CSP violations among them) and failed subresources; a page answered
  // with an error status on purpose (a 401 sign-in form) is the test's business, not a problem.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== 'document')
      problems.push(`${r.status()} ${r.url()}`);
  });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('dialog', (d) => {
    problems.push(`dialog opened: ${d.message()}`);
    void d.dismiss();
  });
  return { page, problems, close: () => context.close() };
}

/** Signs in through the form. */
export async function signIn(page: Page, token: string, path = '/sign-in'): Promise<void> {
  await page.goto(path);
  await page.getByLabel('Token').fill(token);
  await Promise.all([
    page.waitForLoadState('load'),
    page.getByRole('button', { name: /Anmelden|Sign in/ }).click(),
  ]);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules) in the page and returns the serious and critical
 * violations. axe is evaluated through the DevTools protocol, which the page's CSP does not
 * govern, so the page is checked under its real policy.
 */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<unknown> } })
      .axe;
    const result = (await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    })) as {
      violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
    };
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => JSON.stringify(n.target)),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
