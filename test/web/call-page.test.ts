import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import { createToken } from '../../src/auth/tokens.ts';
import type { AppContext } from '../../src/context.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { applicantTypes, deadlineStages } from '../../src/domain/enums.ts';
import { useTestContext } from '../helpers/context.ts';
import { PageClient } from '../helpers/web-inject.ts';

/** The call page names coded values in the page's language, never as codes. */
describe('call page wording', () => {
  const makeCtx = useTestContext();
  let ctx: AppContext;
  let app: App;
  let client: PageClient;
  let id: string;
  beforeAll(async () => {
    ctx = makeCtx();
    loadDemo(ctx);
    app = await buildApp(ctx.config, { context: ctx });
    client = new PageClient(app);
    await client.signIn(createToken(ctx.dbh.db, { name: 'Rita', role: 'reader' }).token);
    // A demo call with a multi-stage deadline without a label of its own, applicant types and German text.
    id = ctx.dbh.sqlite
      .prepare(
        `select c.id from calls c join call_deadlines d on d.call_id = c.id
         where d.stage = 'sketch' and d.label is null and c.applicant_types like '%municipality%' and c.language = 'de'
         order by c.id limit 1`,
      )
      .pluck()
      .get() as string;
  });
  afterAll(async () => app.close());

  const text = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');
  const codes = [
    ...deadlineStages.filter((s) => s !== 'other'),
    ...applicantTypes.filter((a) => a !== 'other'),
  ];

  it('shows deadline stages, applicant types and the language in German, or in English when asked', async () => {
    expect(id).toBeTruthy();
    const de = await client.get(`/calls/${encodeURIComponent(id)}`);
    expect(de.statusCode).toBe(200);
    const page = text(de.body);
    expect(page).toContain('Stufe: Projektskizze');
    expect(page).toMatch(/Antragstellertypen [^<]*Kommune/);
    expect(page).toMatch(/Sprache Deutsch/);
    // The codes themselves appear nowhere in the page's details (they may appear in texts, not as a value).
    const details = page.slice(page.indexOf('Angaben'), page.indexOf('Herkunft'));
    for (const code of codes) expect(details).not.toMatch(new RegExp(`(: |, |typen )${code}\\b`));

    const en = text((await client.get(`/calls/${encodeURIComponent(id)}?lang=en`)).body);
    expect(en).toContain('Stage: project outline');
    expect(en).toMatch(/Applicant types [^<]*municipality/);
    expect(en).toMatch(/Language German/);
  });
});
