import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlRuns, digests } from '../../db/schema/index.ts';
import { upsertCall } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import { runDigests } from '../../src/digest/send.ts';
import { createSubscriber } from '../../src/digest/subscribers.ts';
import type { Call } from '../../src/domain/call.ts';
import { sampleCall } from '../helpers/calls.ts';
import { useTestContext } from '../helpers/context.ts';
import { insertMatch } from '../helpers/matches.ts';
import { type ReceivedMail, startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

const now1 = new Date('2026-11-23T07:00:00Z'); // Monday 08:00 in Berlin, ISO week 48
const now2 = new Date('2026-11-30T07:00:00Z'); // the Monday after, week 49
const between = new Date('2026-11-25T10:00:00Z');

function call(id: string, overrides: Partial<Call> = {}): Call {
  return sampleCall({ id: `eu-ft:${id}`, sourceId: id, identifier: id, title: `Call ${id}`, ...overrides });
}

const hostileTitle = '<script>alert("x")</script> Städte & "Partner"';

describe('digest sending over real SMTP', () => {
  const makeCtx = useTestContext();
  let smtp: TestSmtpServer;
  let ctx: AppContext;
  let de: ReceivedMail;
  let en: ReceivedMail;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    ctx = makeCtx({ SMTP_URL: smtp.url, PUBLIC_BASE_URL: 'https://foerdermatch.example.org' });
    const db = ctx.dbh.db;
    const at = { now: new Date('2026-11-20T05:00:00Z') };
    upsertCall(
      db,
      call('TWIN', {
        title: 'Town Twinning 2027',
        deadlines: [
          {
            at: '2027-03-04T16:00:00.000Z',
            timeZone: 'Europe/Brussels',
            raw: '4 March 2027 17:00',
            stage: 'single',
          },
        ],
        fundingRate: 0.9,
        budget: { currency: 'EUR', total: 1_000_000 },
      }),
      at,
    );
    upsertCall(
      db,
      call('BALTIC', {
        source: 'eu-ft',
        title: 'Interreg Baltic Sea Region small projects',
        programme: 'Interreg Baltic Sea Region',
        deadlines: [
          {
            at: '2027-05-20T10:00:00.000Z',
            timeZone: 'Europe/Berlin',
            raw: '20.05.2027 12:00',
            stage: 'single',
          },
        ],
        budget: { currency: 'EUR', perProjectMax: 500_000 },
      }),
      at,
    );
    upsertCall(
      db,
      call('HOSTILE', {
        title: hostileTitle,
        programme: '<b>Bold</b> programme',
        url: 'javascript:alert(1)',
        descriptionHtml: '<p onclick="evil()">Hi</p><img src="https://tracker.example/x.gif">',
      }),
      at,
    );
    upsertCall(db, call('LOW'), at);
    upsertCall(db, call('EXCLUDED'), at);
    upsertCall(db, call('CLOSED', { status: 'closed', deadlines: [] }), at);
    upsertCall(
      db,
      call('SOON', {
        title: 'Baltic youth exchange',
        deadlines: [
          { at: '2026-12-08T16:00:00.000Z', timeZone: 'Europe/Brussels', raw: '8 Dec 2026', stage: 'single' },
        ],
      }),
      at,
    );
    insertMatch(ctx, {
      callId: 'eu-ft:TWIN',
      target: 'staedtepartnerschaften',
      score: 85,
      reason: 'CERV-Städtepartnerschaft',
      reasonEn: 'CERV town twinning',
    });
    insertMatch(ctx, { callId: 'eu-ft:TWIN', target: 'ostseeraum', score: 60 });
    insertMatch(ctx, { callId: 'eu-ft:BALTIC', target: 'ostseeraum', score: 70, eligibility: 'unclear' });
    insertMatch(ctx, {
      callId: 'eu-ft:HOSTILE',
      target: 'staedtepartnerschaften-2',
      score: 50,
      reason: '<i>Grund</i>',
    });
    insertMatch(ctx, { callId: 'eu-ft:LOW', target: 'ostseeraum', score: 30 });
    insertMatch(ctx, { callId: 'eu-ft:EXCLUDED', target: 'ostseeraum', score: 95, eligibility: 'excluded' });
    insertMatch(ctx, { callId: 'eu-ft:CLOSED', target: 'ostseeraum', score: 90 });
    insertMatch(ctx, { callId: 'eu-ft:SOON', target: 'ostseeraum', score: 45 });

    createSubscriber(
      ctx,
      {
        name: 'Anna Förder',
        email: 'anna@kiel.example',
        actionFields: ['staedtepartnerschaften', 'ostseeraum'],
        measures: ['staedtepartnerschaften-2'],
        minScore: 40,
      },
      now1,
    );
    createSubscriber(
      ctx,
      {
        name: 'Ben Funding',
        email: 'ben@kiel.example',
        language: 'en',
        actionFields: ['staedtepartnerschaften'],
      },
      now1,
    );

    const report = await runDigests(ctx, { now: now1 });
    expect(report).toMatchObject({ created: 2, sent: 2, failed: 0, deferred: 0 });
    de = smtp.received.find((m) => m.envelope.to.includes('anna@kiel.example')) as ReceivedMail;
    en = smtp.received.find((m) => m.envelope.to.includes('ben@kiel.example')) as ReceivedMail;
  });
  afterAll(async () => smtp.close());

  it('delivers one German mail with recipient, subject, both parts and the Message-ID of its row', () => {
    expect(smtp.received).toHaveLength(2);
    expect(de.parsed.to && 'value' in de.parsed.to ? de.parsed.to.value[0]?.address : '').toBe(
      'anna@kiel.example',
    );
    expect(de.parsed.subject).toBe('Fördermittel-Digest KW 48/2026: 4 neu');
    expect(de.parsed.messageId).toBe('<digest-1-2026-W48@foerdermatch.example.org>');
    expect(de.parsed.html).toContain('<h2');
    expect(de.parsed.text).toContain('Neue passende Aufrufe');
    expect(de.parsed.headers.get('auto-submitted')).toBe('auto-generated');
  });

  it('groups new calls by action field, best first, each call once, and leaves out low, excluded and closed calls', () => {
    const text = de.parsed.text ?? '';
    const order = [
      'Handlungsfeld 1: Städtepartnerschaften',
      'Town Twinning 2027',
      'Städte & "Partner"',
      'Handlungsfeld 3: Ostseeraum',
      'Baltic youth exchange', // eligible 45 ranks above unclear 70
      'Interreg Baltic Sea Region small projects',
    ].map((s) => text.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text.split('Town Twinning 2027').length - 1).toBe(1);
    for (const id of ['Call LOW', 'Call EXCLUDED', 'Call CLOSED']) expect(text).not.toContain(id);
    expect(text).toContain('Passung 85/100 – CERV-Städtepartnerschaft');
    expect(text).toContain('Antragsberechtigung unklar – bitte prüfen.');
    expect(text).toContain('Förderquote bis 90 %');
    expect(text).toContain('Gesamtbudget 1.000.000 €');
    // Published in Brussels time and shown in Berlin time too, with days left on the Berlin calendar.
    expect(text).toContain(
      'Do., 04.03.2027, 17:00 Uhr (Brüssel) · Do., 04.03.2027, 17:00 Uhr (Berlin) – in 101 Tagen',
    );
    expect(text).toContain('Do., 20.05.2027, 12:00 Uhr (Berlin) – in 178 Tagen');
    expect(text).toContain('https://foerdermatch.example.org/calls/eu-ft%3ATWIN');
  });

  it('escapes every crawled string and drops non-http links', () => {
    const html = de.parsed.html as string;
    expect(html).not.toContain('<script');
    expect(html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Städte &amp; &quot;Partner&quot;',
    );
    expect(html).not.toContain('<b>Bold</b>');
    expect(html).toContain('&lt;b&gt;Bold&lt;/b&gt; programme');
    expect(html).toContain('&lt;i&gt;Grund&lt;/i&gt;');
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).not.toContain('onclick');
    // No remote resources: no images, stylesheets or scripts at all.
    expect(html).not.toMatch(/<(img|link|script|iframe)\b/i);
    expect(html).not.toMatch(/\bsrc=/i);
  });

  it('carries one-click unsubscribe headers and the link in both parts', () => {
    const head = (de.raw.split(/\r?\n\r?\n/)[0] ?? '').replace(/\r?\n[ \t]+/g, ' '); // unfolded header block
    const m =
      /^List-Unsubscribe: <(https:\/\/foerdermatch\.example\.org\/unsubscribe\/[\w-]{20,})>\r?$/m.exec(head);
    expect(m).not.toBeNull();
    expect(head).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    const bare = m?.[1] as string;
    expect(de.parsed.text).toContain(bare);
    expect(de.parsed.html).toContain(`href="${bare}"`);
    expect(en.raw).not.toContain(bare); // each subscriber has their own token
  });

  it('writes the English digest in English with the English reason', () => {
    expect(en.parsed.subject).toBe('Funding digest week 48/2026: 1 new');
    expect(en.parsed.text).toContain('New matching calls');
    expect(en.parsed.text).toContain('Action field 1: Städtepartnerschaften');
    expect(en.parsed.text).toContain('Fit 85/100 – CERV town twinning');
    expect(en.parsed.text).toContain('in 101 days');
    expect(en.parsed.text).toContain('Unsubscribe from this digest');
  });

  it('sends nothing more when run again in the same period', async () => {
    const report = await runDigests(ctx, { now: new Date(now1.getTime() + 3_600_000) });
    expect(report).toMatchObject({ created: 0, sent: 0 });
    expect(smtp.received).toHaveLength(2);
  });

  it('reports changed calls, closing-soon calls and failing sources the next week', async () => {
    const db = ctx.dbh.db;
    upsertCall(
      db,
      call('TWIN', {
        title: 'Town Twinning 2027',
        deadlines: [
          {
            at: '2027-03-18T16:00:00.000Z',
            timeZone: 'Europe/Brussels',
            raw: '18 March 2027 17:00',
            stage: 'single',
          },
        ],
        fundingRate: 0.9,
        budget: { currency: 'EUR', total: 1_000_000 },
      }),
      { now: between },
    );
    upsertCall(
      db,
      call('BALTIC', {
        title: 'Interreg Baltic Sea Region small projects',
        programme: 'Interreg Baltic Sea Region',
        deadlines: [
          {
            at: '2027-05-20T10:00:00.000Z',
            timeZone: 'Europe/Berlin',
            raw: '20.05.2027 12:00',
            stage: 'single',
          },
        ],
        budget: { currency: 'EUR', perProjectMax: 750_000 },
      }),
      { now: between },
    );
    upsertCall(db, call('FRESH', { title: 'Partnerschaftsfonds 2027' }), { now: between });
    insertMatch(ctx, { callId: 'eu-ft:FRESH', target: 'staedtepartnerschaften', score: 75 });
    const run = (startedAt: string, outcome: 'ok' | 'failed') =>
      db.insert(crawlRuns).values({ source: 'interreg', startedAt, finishedAt: startedAt, outcome }).run();
    run('2026-11-20T04:00:00.000Z', 'ok');
    run('2026-11-24T04:00:00.000Z', 'failed');
    run('2026-11-27T04:00:00.000Z', 'failed');
    db.insert(crawlRuns)
      .values({
        source: 'eu-ft',
        startedAt: '2026-11-29T04:00:00.000Z',
        finishedAt: '2026-11-29T04:10:00.000Z',
        outcome: 'ok',
      })
      .run();

    const report = await runDigests(ctx, { now: now2 });
    expect(report).toMatchObject({ created: 2, sent: 2 });
    const mail = smtp.received.filter((m) => m.envelope.to.includes('anna@kiel.example'))[1] as ReceivedMail;
    const text = mail.parsed.text ?? '';
    expect(mail.parsed.subject).toBe('Fördermittel-Digest KW 49/2026: 1 neu, 2 geändert, 1 Frist bald');
    expect(mail.parsed.messageId).toBe('<digest-1-2026-W49@foerdermatch.example.org>');

    const newPart = text.slice(text.indexOf('Neue passende Aufrufe'), text.indexOf('Geänderte Aufrufe'));
    expect(newPart).toContain('Partnerschaftsfonds 2027');
    expect(newPart).not.toContain('Town Twinning 2027');

    const changedPart = text.slice(
      text.indexOf('Geänderte Aufrufe'),
      text.indexOf('Fristen in den nächsten 14 Tagen'),
    );
    expect(changedPart).toContain('Town Twinning 2027');
    expect(changedPart).toContain(
      'Frist verschoben: Do., 04.03.2027, 17:00 Uhr (Brüssel) → Do., 18.03.2027, 17:00 Uhr (Brüssel) · Do., 18.03.2027, 17:00 Uhr (Berlin) – in 108 Tagen',
    );
    expect(changedPart).toContain('Budget: je Projekt bis 500.000 € → je Projekt bis 750.000 €');

    const closingPart = text.slice(
      text.indexOf('Fristen in den nächsten 14 Tagen'),
      text.indexOf('Hinweis zur Abdeckung'),
    );
    expect(closingPart).toContain('Baltic youth exchange');
    expect(closingPart).toContain('Di., 08.12.2026, 17:00 Uhr (Brüssel)');
    expect(closingPart).toContain('in 8 Tagen');

    expect(text).toContain(
      'Interreg: die letzten 2 Abrufe sind fehlgeschlagen (zuletzt vollständig am 20.11.2026)',
    );
    expect(text).not.toContain('EU Funding & Tenders Portal:');
    // Sections show each call once.
    expect(text.split('Baltic youth exchange').length - 1).toBe(1);
  });

  it('sends a short note when nothing is new (DIGEST_SEND_EMPTY=true)', async () => {
    createSubscriber(ctx, { name: 'Cem', email: 'cem@kiel.example', actionFields: ['chinastrategie'] }, now2);
    const report = await runDigests(ctx, { now: new Date(now2.getTime() + 60_000) });
    expect(report).toMatchObject({ created: 1, sent: 1 });
    const mail = smtp.received.at(-1) as ReceivedMail;
    expect(mail.envelope.to).toEqual(['cem@kiel.example']);
    expect(mail.parsed.subject).toBe('Fördermittel-Digest KW 49/2026: nichts Neues');
    expect(mail.parsed.text).toContain('keine neuen oder geänderten Aufrufe');
  });

  it('keeps one outbox row per subscriber and period, all sent with the acceptance recorded', () => {
    const rows = ctx.dbh.db.select().from(digests).all();
    expect(rows).toHaveLength(5);
    for (const r of rows) {
      expect(r.state).toBe('sent');
      expect(r.attempts).toBe(1);
      expect(r.smtpResponse).toMatch(/^250/);
    }
  });
});
