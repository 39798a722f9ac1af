import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import { createToken, verifyToken } from '../../src/auth/tokens.ts';
import type { AppContext } from '../../src/context.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { subscribeSelf } from '../../src/digest/own-subscription.ts';
import { callPagePath } from '../../src/web/links.ts';
import { useTestContext } from '../helpers/context.ts';
import { PageClient } from '../helpers/web-inject.ts';

/** The start page's "new" list: new calls that fit and are still open, not everything a crawl brought in. */
describe('start page: new calls', () => {
  const makeCtx = useTestContext();
  let ctx: AppContext;
  let app: App;
  beforeAll(async () => {
    ctx = makeCtx();
    loadDemo(ctx); // every demo call is new: first seen now
    app = await buildApp(ctx.config, { context: ctx });
  });
  afterAll(async () => app.close());

  const reader = async (name: string) => {
    const { token } = createToken(ctx.dbh.db, { name, role: 'reader' });
    const client = new PageClient(app);
    await client.signIn(token);
    return { client, principal: verifyToken(ctx.dbh.db, token)! };
  };
  /** A reader whose own digest subscription follows these fields and measures. */
  const follower = async (name: string, actionFields: string[], measures: string[] = []) => {
    const { client, principal } = await reader(name);
    subscribeSelf(ctx, principal, {
      name,
      email: `${name.toLowerCase()}@kiel.example`,
      language: 'de',
      actionFields,
      measures,
      minScore: 40,
      cadence: 'weekly',
    });
    return client;
  };
  const newSection = (html: string) => {
    const start = html.indexOf('id="new-title"');
    expect(start).toBeGreaterThan(0);
    return html.slice(start, html.indexOf('</section>', start));
  };
  const linked = (section: string) => [...section.matchAll(/href="(\/calls\/[^"]+)"/g)].map((m) => m[1]!);
  const ids = (sql: string, ...args: unknown[]) =>
    new Set(
      (
        ctx.dbh.sqlite
          .prepare(sql)
          .pluck()
          .all(...args) as string[]
      ).map((id) => callPagePath(id)),
    );

  it('lists only new calls that fit somewhere and are not closed, with a link to all calls', async () => {
    const { client } = await reader('Nina');
    const section = newSection((await client.get('/')).body);
    const shown = linked(section);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThanOrEqual(10);
    const fits = ids(`select distinct call_id from matches where score >= 1 and eligibility != 'excluded'`);
    for (const href of shown) expect(fits.has(href)).toBe(true);
    expect(section).not.toContain('geschlossen');
    expect(section).toContain('href="/search?sort=newest"');
    // The newest fitting calls, best fit first.
    const fit = [...section.matchAll(/Passung (\d+)\/100/g)].map((m) => Number(m[1]));
    expect(fit.length).toBe(shown.length);
    expect(fit).toEqual([...fit].sort((a, b) => b - a));
    // The demo has new calls that fit nowhere: none of them is shown.
    const unfit = ids(
      `select id from calls where id not in (select call_id from matches where score >= 1 and eligibility != 'excluded')`,
    );
    expect(unfit.size).toBeGreaterThan(0);
    for (const href of shown) expect(unfit.has(href)).toBe(false);
  });

  it('follows the person’s own digest subscription', async () => {
    const client = await follower('Ole', ['staedtepartnerschaften']);
    const section = newSection((await client.get('/')).body);
    expect(section).toContain('Passende Aufrufe zu Ihren Handlungsfeldern');
    const shown = linked(section);
    expect(shown.length).toBeGreaterThan(0);
    const field = ids(
      `select distinct m.call_id from matches m where m.score >= 1 and m.eligibility != 'excluded'
       and (m.target = 'staedtepartnerschaften' or m.target like 'staedtepartnerschaften-%')`,
    );
    for (const href of shown) expect(field.has(href)).toBe(true);
  });

  it('takes a followed field whose key ends in a number as a field, not as a measure', async () => {
    const client = await follower('Aki', ['agenda-2030'], ['staedtepartnerschaften-1']);
    const page = await client.get('/');
    expect(page.statusCode).toBe(200);
    expect(linked(newSection(page.body)).length).toBeGreaterThan(0);
  });
});
