import { afterAll, describe, expect, it } from 'vitest';
import { upsertCall } from '../../src/calls/store.ts';
import { createPursuit } from '../../src/pursuits/create.ts';
import { listPursuitMails } from '../../src/pursuits/outbox.ts';
import { runPursuitMails } from '../../src/pursuits/send.ts';
import { sampleCall } from '../helpers/calls.ts';
import { useTestContext } from '../helpers/context.ts';
import { runCli, smtpKillingFirstSender } from '../helpers/crash.ts';
import { principal } from '../helpers/pursuits.ts';
import type { TestSmtpServer } from '../helpers/smtp.ts';

describe('a reminder whose sending process is killed (kill -9) mid-send (real processes, real SMTP)', () => {
  const makeCtx = useTestContext();
  let smtp: TestSmtpServer | undefined;
  afterAll(async () => smtp?.close());

  it('is never sent a second time, by later runs or restarts', async () => {
    // The server has the whole message; before it answers 250 the sender is killed, so the row
    // stays in `sending` although the mail is in the server's hands.
    const killer = await smtpKillingFirstSender();
    smtp = killer.smtp;
    const ctx = makeCtx({ SMTP_URL: smtp.url });
    const soon = new Date(Date.now() + 5 * 86_400_000).toISOString();
    upsertCall(
      ctx.dbh.db,
      sampleCall({ deadlines: [{ at: soon, timeZone: 'Europe/Brussels', raw: soon, stage: 'single' }] }),
    );
    createPursuit(ctx, principal(ctx, 'Anna'), {
      callId: sampleCall().id,
      measures: ['staedtepartnerschaften-2'],
      ownerEmail: 'anna@kiel.example',
    });
    const env = {
      DATABASE_PATH: ctx.config.databasePath,
      SMTP_URL: smtp.url,
      OUTBOX_DIR: ctx.config.mail.outboxDir,
    };

    const first = killer.run(['pursuit', 'send'], env);
    expect((await first.done).signal).toBe('SIGKILL');
    await smtp.untilReceived(1);
    const left = listPursuitMails(ctx);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ state: 'sending', attempts: 1, key: `reminder:7:${soon}` });
    expect(left[0]?.claimedBy).toMatch(new RegExp(`^${first.child.pid}@`));

    // The next process finds the dead owner's row: outcome unknown, reported, not resent.
    const second = await runCli(['pursuit', 'send'], env).done;
    expect(second.code).toBe(2);
    expect(second.out).toContain('sent 0');
    expect(second.out).toContain('outcome unknown after a crash 1');
    expect(smtp.received).toHaveLength(1);
    const [row] = listPursuitMails(ctx);
    expect(row?.state).toBe('failed');
    expect(row?.lastError).toMatch(/^DELIVERY_UNKNOWN: .*<pursuit-1-reminder7/);

    // And later runs (in-process, same code as the job) leave it so.
    expect(await runPursuitMails(ctx)).toMatchObject({ sent: 0, reminders: 0, recoveredUnknown: 0 });
    expect(smtp.received).toHaveLength(1);
    expect(listPursuitMails(ctx)).toHaveLength(1);
  });
});
