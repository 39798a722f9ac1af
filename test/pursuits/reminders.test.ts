import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertCall } from '../../src/calls/store.ts';
import { type AppContext, createContext, createLogger } from '../../src/context.ts';
import { createPursuit } from '../../src/pursuits/create.ts';
import { movePursuit } from '../../src/pursuits/move.ts';
import { listPursuitMails } from '../../src/pursuits/outbox.ts';
import { runPursuitMails } from '../../src/pursuits/send.ts';
import { sampleCall } from '../helpers/calls.ts';
import { useTestContext } from '../helpers/context.ts';
import { principal } from '../helpers/pursuits.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

const deadline = '2026-09-17T15:00:00.000Z';
const at = (iso: string) => new Date(iso);

describe('reminders 28, 7 and 2 days before the deadline, each exactly once (real SMTP)', () => {
  const makeCtx = useTestContext();
  let ctx: AppContext;
  let smtp: TestSmtpServer;
  let pursuitId: number;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    ctx = makeCtx({ SMTP_URL: smtp.url });
    upsertCall(
      ctx.dbh.db,
      sampleCall({
        deadlines: [{ at: deadline, timeZone: 'Europe/Brussels', raw: deadline, stage: 'single' }],
      }),
    );
    upsertCall(
      ctx.dbh.db,
      sampleCall({
        id: 'eu-ft:OTHER',
        sourceId: 'OTHER',
        title: 'Other',
        deadlines: [{ at: deadline, timeZone: 'Europe/Brussels', raw: deadline, stage: 'single' }],
      }),
    );
    const anna = principal(ctx, 'Anna');
    const created = at('2026-08-01T08:00:00Z');
    pursuitId = createPursuit(
      ctx,
      anna,
      { callId: sampleCall().id, measures: ['staedtepartnerschaften-2'], ownerEmail: 'anna@kiel.example' },
      created,
    ).id;
    // A submitted pursuit of the same deadline gets no reminders.
    const done = createPursuit(
      ctx,
      anna,
      { callId: 'eu-ft:OTHER', measures: ['ostseeraum-1'], ownerEmail: 'anna@kiel.example' },
      created,
    ).id;
    for (const status of ['in_pruefung', 'antrag_in_vorbereitung', 'eingereicht'] as const)
      movePursuit(ctx, anna, done, { status }, created);
  });
  afterAll(async () => smtp.close());

  it('sends nothing before the first lead time', async () => {
    expect(await runPursuitMails(ctx, { now: at('2026-08-20T14:00:00Z') })).toMatchObject({
      reminders: 0,
      sent: 0,
    });
    expect(smtp.received).toHaveLength(0);
  });

  it('sends each reminder once, however often the job runs and across a restart', async () => {
    const runs = [
      '2026-08-20T15:00:00Z', // 28 days ahead, to the minute
      '2026-08-20T16:00:00Z',
      '2026-09-01T07:00:00Z',
      '2026-09-10T15:00:00Z', // 7 days
      '2026-09-12T07:00:00Z',
      '2026-09-15T15:00:00Z', // 2 days
      '2026-09-17T14:00:00Z',
      '2026-09-18T07:00:00Z', // after the deadline
    ];
    for (const [i, now] of runs.entries()) {
      // A restart in the middle: a fresh process opens the same database.
      const c = i === 4 ? createContext(ctx.config, createLogger(ctx.config)) : ctx;
      await runPursuitMails(c, { now: at(now) });
      if (c !== ctx) c.dbh.close();
    }
    expect(smtp.received.map((m) => m.parsed.subject)).toEqual([
      'Erinnerung: Frist in 28 Tagen – Town Twinning',
      'Erinnerung: Frist in 7 Tagen – Town Twinning',
      'Erinnerung: Frist in 2 Tagen – Town Twinning',
    ]);
    expect(smtp.received.every((m) => m.envelope.to[0] === 'anna@kiel.example')).toBe(true);
    const text = smtp.received[1]!.parsed.text ?? '';
    expect(text).toContain('Guten Tag Anna,');
    expect(text).toContain('Stand des Vorhabens: beobachtet');
    expect(text).toContain(`/api/pursuits/${pursuitId}`);
    expect(listPursuitMails(ctx).map((m) => [m.key, m.state])).toEqual([
      [`reminder:28:${deadline}`, 'sent'],
      [`reminder:7:${deadline}`, 'sent'],
      [`reminder:2:${deadline}`, 'sent'],
    ]);
  });

  it('gives a pursuit taken up late only the reminder that is due, with the days actually left', async () => {
    const ben = principal(ctx, 'Ben');
    const late = at('2026-09-12T09:00:00Z');
    upsertCall(
      ctx.dbh.db,
      sampleCall({
        id: 'eu-ft:LATE',
        sourceId: 'LATE',
        title: 'Late',
        deadlines: [{ at: deadline, timeZone: 'Europe/Brussels', raw: deadline, stage: 'single' }],
      }),
    );
    createPursuit(
      ctx,
      ben,
      {
        callId: 'eu-ft:LATE',
        measures: ['ostseeraum-1'],
        ownerEmail: 'ben@kiel.example',
        ownerLanguage: 'en',
      },
      late,
    );
    expect(await runPursuitMails(ctx, { now: late })).toMatchObject({ reminders: 1, sent: 1 });
    expect(smtp.received.at(-1)?.parsed.subject).toBe('Reminder: deadline in 5 days – Late');
  });

  it('reads the lead times from PURSUIT_REMINDER_DAYS and rejects bad ones', async () => {
    const c = makeCtx({ PURSUIT_REMINDER_DAYS: '14, 3' });
    expect(c.config.pursuits.reminderDays).toEqual([14, 3]);
    expect(() => makeCtx({ PURSUIT_REMINDER_DAYS: '7,zero' })).toThrow(
      /PURSUIT_REMINDER_DAYS: expected whole days/,
    );
  });
});
