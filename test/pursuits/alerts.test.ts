import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertCall } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import type { Call } from '../../src/domain/call.ts';
import { createPursuit } from '../../src/pursuits/create.ts';
import { getPursuitDetail } from '../../src/pursuits/get.ts';
import { movePursuit } from '../../src/pursuits/move.ts';
import { listPursuitMails } from '../../src/pursuits/outbox.ts';
import { markAlertsSeen } from '../../src/pursuits/seen.ts';
import { runPursuitMails } from '../../src/pursuits/send.ts';
import { sampleCall } from '../helpers/calls.ts';
import { useTestContext } from '../helpers/context.ts';
import { principal } from '../helpers/pursuits.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

const d = (at: string) => ({ at, timeZone: 'Europe/Brussels', raw: at, stage: 'single' as const });
const t0 = new Date('2026-05-04T08:00:00Z');
const later = (h: number) => new Date(t0.getTime() + h * 3_600_000);

describe('when a pursued call changes, the owner sees it on the pursuit and gets one mail (real SMTP)', () => {
  const makeCtx = useTestContext();
  let ctx: AppContext;
  let smtp: TestSmtpServer;
  let anna: ReturnType<typeof principal>;
  let open: number;
  let granted: number;
  const base = sampleCall({ deadlines: [d('2026-09-17T15:00:00.000Z')] });
  const crawl = (c: Partial<Call>, h: number) => upsertCall(ctx.dbh.db, { ...base, ...c }, { now: later(h) });

  beforeAll(async () => {
    smtp = await startSmtpServer();
    ctx = makeCtx({ SMTP_URL: smtp.url });
    upsertCall(ctx.dbh.db, base, { now: t0 });
    // A change recorded before the pursuit existed is not news to its owner.
    crawl({ summary: 'Older wording' }, 1);
    anna = principal(ctx, 'Anna');
    open = createPursuit(
      ctx,
      anna,
      { callId: base.id, measures: ['staedtepartnerschaften-2'], ownerEmail: 'anna@kiel.example' },
      later(2),
    ).id;
    granted = createPursuit(
      ctx,
      anna,
      { callId: base.id, measures: ['ostseeraum-1'], ownerEmail: 'anna@kiel.example' },
      later(2),
    ).id;
    for (const status of ['in_pruefung', 'antrag_in_vorbereitung', 'eingereicht', 'bewilligt'] as const)
      movePursuit(ctx, anna, granted, { status }, later(2));
  });
  afterAll(async () => smtp.close());

  it('alerts nothing while the call is unchanged', async () => {
    expect(await runPursuitMails(ctx, { now: later(3) })).toMatchObject({ alerts: 0, sent: 0 });
    expect(getPursuitDetail(ctx, open, later(3)).alerts).toEqual([]);
  });

  it('alerts a moved deadline and a changed text once, on the pursuit and by mail', async () => {
    crawl(
      { summary: 'Older wording', deadlines: [d('2026-10-01T15:00:00.000Z')], description: 'New rules.' },
      4,
    );
    const r = await runPursuitMails(ctx, { now: later(5) });
    // Only the open pursuit: a granted one has nothing left to act on.
    expect(r).toMatchObject({ alerts: 1, sent: 1 });
    const p = getPursuitDetail(ctx, open, later(5));
    expect(p.unseenAlerts).toBe(1);
    expect(p.alerts[0]?.changes).toEqual([
      { field: 'deadlines', from: [d('2026-09-17T15:00:00.000Z')], to: [d('2026-10-01T15:00:00.000Z')] },
      { field: 'description', from: null, to: null },
    ]);
    expect(getPursuitDetail(ctx, granted, later(5)).alerts).toEqual([]);
    const mail = smtp.received[0]!;
    expect(mail.envelope.to).toEqual(['anna@kiel.example']);
    expect(mail.parsed.subject).toBe('Aufruf geändert: Town Twinning');
    expect(mail.parsed.text).toContain(
      'Frist verschoben: Do., 17.09.2026, 17:00 Uhr (Brüssel) → Do., 01.10.2026, 17:00 Uhr (Brüssel)',
    );
    expect(mail.parsed.text).toContain('Text geändert (Beschreibung)');

    // Again, and after a restart of the job: no second alert, no second mail.
    expect(await runPursuitMails(ctx, { now: later(6) })).toMatchObject({ alerts: 0, sent: 0 });
    expect(smtp.received).toHaveLength(1);
    expect(listPursuitMails(ctx).map((m) => m.kind)).toEqual(['change']);
  });

  it('folds several crawls into one alert with the oldest "from" and the newest "to"', async () => {
    crawl(
      { summary: 'Older wording', deadlines: [d('2026-10-08T15:00:00.000Z')], description: 'New rules.' },
      7,
    );
    crawl(
      {
        summary: 'Older wording',
        deadlines: [d('2026-10-15T15:00:00.000Z')],
        description: 'New rules.',
        title: 'Town Twinning 2027',
      },
      8,
    );
    expect(await runPursuitMails(ctx, { now: later(9) })).toMatchObject({ alerts: 1, sent: 1 });
    const [latest] = getPursuitDetail(ctx, open, later(9)).alerts;
    expect(latest?.changes).toEqual([
      { field: 'deadlines', from: [d('2026-10-01T15:00:00.000Z')], to: [d('2026-10-15T15:00:00.000Z')] },
      { field: 'title', from: 'Town Twinning', to: 'Town Twinning 2027' },
    ]);
  });

  it('ignores changes the owner need not act on, and lets the owner mark alerts seen', async () => {
    crawl(
      {
        summary: 'Older wording',
        deadlines: [d('2026-10-15T15:00:00.000Z')],
        description: 'New rules.',
        title: 'Town Twinning 2027',
        keywords: ['twinning', 'citizens'],
      },
      10,
    );
    expect(await runPursuitMails(ctx, { now: later(11) })).toMatchObject({ alerts: 0, sent: 0 });
    expect(getPursuitDetail(ctx, open, later(11)).unseenAlerts).toBe(2);
    expect(() => markAlertsSeen(ctx, principal(ctx, 'Ben'), open, later(11))).toThrow(/owner/);
    expect(markAlertsSeen(ctx, anna, open, later(11))).toBe(2);
    expect(getPursuitDetail(ctx, open, later(11)).unseenAlerts).toBe(0);
  });
});
