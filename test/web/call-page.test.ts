import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app.ts';
import { createToken } from '../../src/auth/tokens.ts';
import { upsertCall } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { applicantTypes, deadlineStages } from '../../src/domain/enums.ts';
import { sampleCall } from '../helpers/calls.ts';
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

  it('words the rules that fired in the page language: their effect, the facts they found, English rule names', async () => {
    // The demo call that fits best anywhere: its first target's explanation is open on the page.
    const best = ctx.dbh.sqlite
      .prepare(
        "select call_id from matches where eligibility = 'eligible' order by score desc, call_id limit 1",
      )
      .pluck()
      .get() as string;
    const de = text((await client.get(`/calls/${encodeURIComponent(best)}?lang=de`)).body);
    const fired = de.slice(de.indexOf('Regeln, die gegriffen haben'));
    expect(fired).toMatch(/\(\+\d+ Punkte\)/);
    expect(fired).not.toMatch(/\d points\)/);
    expect(fired).toMatch(/(Text|Titel|Programm|Quelle|Schlagwörter): /);
    expect(fired).not.toMatch(/\b(programme|keywords|applicantTypes|source): /);

    const en = text((await client.get(`/calls/${encodeURIComponent(best)}?lang=en`)).body);
    const firedEn = en.slice(en.indexOf('Rules that fired'));
    expect(firedEn).toMatch(/\(\+\d+ points\)/);
    // Rule names with an English name appear in English.
    const named = ctx.dbh.sqlite
      .prepare('select rules from rule_set_versions where active = 1')
      .pluck()
      .get() as string;
    const englishNames = (JSON.parse(named).rules as { name: string; nameEn?: string }[]).filter(
      (r) => r.nameEn && r.nameEn !== r.name && firedEn.includes(r.nameEn),
    );
    expect(englishNames.length).toBeGreaterThan(0);
    for (const r of englishNames) expect(firedEn).not.toContain(`${r.name} (`);
  });

  it("lists a call's changes in words: field names, deadlines in Berlin time, applicant types by name", async () => {
    const call = sampleCall({ id: 'eu-ft:CHANGED-1', sourceId: 'CHANGED-1' });
    upsertCall(ctx.dbh.db, call);
    upsertCall(ctx.dbh.db, {
      ...call,
      deadlines: [
        { at: '2026-10-01T15:00:00.000Z', timeZone: 'Europe/Brussels', raw: 'x', stage: 'full-application' },
      ],
      applicantTypes: ['municipality', 'ngo'],
    });
    const de = text((await client.get(`/calls/${encodeURIComponent(call.id)}?lang=de`)).body);
    const changes = de.slice(de.indexOf('Änderungen'), de.indexOf('Passung je'));
    expect(changes).toContain('Fristen');
    expect(changes).toContain('17.09.2026, 17:00');
    expect(changes).toMatch(/01\.10\.2026, 17:00[^;]*\(Vollantrag\)/);
    expect(changes).toContain('Antragstellertypen');
    expect(changes).toContain('Kommune, Nichtregierungsorganisation');
    expect(changes).not.toMatch(/deadlines|applicantTypes|"at"|\[/);

    const en = text((await client.get(`/calls/${encodeURIComponent(call.id)}?lang=en`)).body);
    expect(en).toMatch(/Deadlines [^<]*\(full application\)/);
    expect(en).toContain('municipality, non-governmental organisation');
  });
});
