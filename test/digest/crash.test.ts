import { afterAll, describe, expect, it } from 'vitest';
import { digests } from '../../db/schema/index.ts';
import { upsertCall } from '../../src/calls/store.ts';
import { runDigests } from '../../src/digest/send.ts';
import { createSubscriber } from '../../src/digest/subscribers.ts';
import { sampleCall } from '../helpers/calls.ts';
import { useTestContext } from '../helpers/context.ts';
import { runCli, smtpKillingFirstSender } from '../helpers/crash.ts';
import { insertMatch } from '../helpers/matches.ts';
import type { TestSmtpServer } from '../helpers/smtp.ts';

describe('a crash between SMTP acceptance and recording it (real processes)', () => {
  const makeCtx = useTestContext();
  let smtp: TestSmtpServer | undefined;
  afterAll(async () => smtp?.close());

  it('never sends the digest a second time', async () => {
    // The server has the whole message; before it answers 250 the sending process is killed,
    // so the row is left in `sending` although the mail is in the server's hands.
    const killer = await smtpKillingFirstSender();
    smtp = killer.smtp;
    const ctx = makeCtx({ SMTP_URL: smtp.url });
    const soon = new Date(Date.now() + 30 * 86_400_000).toISOString();
    upsertCall(
      ctx.dbh.db,
      sampleCall({ deadlines: [{ at: soon, timeZone: 'Europe/Brussels', raw: soon, stage: 'single' }] }),
    );
    insertMatch(ctx, { callId: sampleCall().id, target: 'staedtepartnerschaften', score: 80 });
    createSubscriber(ctx, {
      name: 'Anna',
      email: 'anna@kiel.example',
      actionFields: ['staedtepartnerschaften'],
    });
    const env = {
      DATABASE_PATH: ctx.config.databasePath,
      SMTP_URL: smtp.url,
      OUTBOX_DIR: ctx.config.mail.outboxDir,
    };

    const first = killer.run(['digest', 'send'], env);
    const r1 = await first.done;
    expect(r1.signal).toBe('SIGKILL');
    await smtp.untilReceived(1);
    expect(smtp.received).toHaveLength(1);
    const left = ctx.dbh.db.select().from(digests).all();
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ state: 'sending', attempts: 1 });
    expect(left[0]?.claimedBy).toMatch(new RegExp(`^${first.child.pid}@`));

    // The next run finds the dead owner's row: outcome unknown, so it is reported, not resent.
    const r2 = await runCli(['digest', 'send'], env).done;
    expect(r2.code).toBe(2);
    expect(r2.out).toContain('sent 0');
    expect(r2.out).toContain('outcome unknown after a crash 1');
    expect(smtp.received).toHaveLength(1);
    const [row] = ctx.dbh.db.select().from(digests).all();
    expect(row?.state).toBe('failed');
    expect(row?.lastError).toMatch(/^DELIVERY_UNKNOWN: .*<digest-1-\d{4}-W\d{2}@localhost>/);

    // And it stays that way (in-process this time, same code path as the CLI).
    expect(await runDigests(ctx)).toMatchObject({ sent: 0, recoveredUnknown: 0, created: 0 });
    expect(smtp.received).toHaveLength(1);
    expect(ctx.dbh.db.select().from(digests).all()).toHaveLength(1);
  });
});
