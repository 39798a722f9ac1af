import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { digests } from '../../db/schema/index.ts';
import { buildApp } from '../../src/app.ts';
import { upsertCall } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import { runDigests } from '../../src/digest/send.ts';
import { createSubscriber, unsubscribe } from '../../src/digest/subscribers.ts';
import { sampleCall } from '../helpers/calls.ts';
import { authHeader, useTestContext } from '../helpers/context.ts';
import { insertMatch } from '../helpers/matches.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

const now = new Date('2026-11-23T07:00:00Z');
const fast = { tries: 3, backoffMs: 5 };

function seed(ctx: AppContext, email = 'anna@kiel.example') {
  upsertCall(ctx.dbh.db, sampleCall(), { now });
  insertMatch(ctx, { callId: sampleCall().id, target: 'staedtepartnerschaften', score: 80 });
  return createSubscriber(ctx, { name: 'Anna', email, actionFields: ['staedtepartnerschaften'] }, now);
}

const rows = (ctx: AppContext) => ctx.dbh.db.select().from(digests).all();

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('digest delivery: retries, failures and the .eml outbox', () => {
  const makeCtx = useTestContext();
  const servers: TestSmtpServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
  });

  it('retries a 421 and delivers exactly one mail', async () => {
    const smtp = await startSmtpServer((n) => (n === 1 ? 421 : undefined));
    servers.push(smtp);
    const ctx = makeCtx({ SMTP_URL: smtp.url });
    seed(ctx);
    const report = await runDigests(ctx, { now, ...fast });
    expect(report).toMatchObject({ sent: 1, failed: 0, deferred: 0 });
    expect(smtp.received).toHaveLength(1);
    const [row] = rows(ctx);
    expect(row).toMatchObject({ state: 'sent', attempts: 2 });
    expect(row?.smtpResponse).toMatch(/^250/);
  });

  it('records a 550 as failed, shows it to admins, and sends after an admin requeues it', async () => {
    let reject = true;
    const smtp = await startSmtpServer(() => (reject ? 550 : undefined));
    servers.push(smtp);
    const ctx = makeCtx({ SMTP_URL: smtp.url });
    seed(ctx);
    expect(await runDigests(ctx, { now, ...fast })).toMatchObject({ sent: 0, failed: 1 });
    expect(smtp.received).toHaveLength(0);
    expect(rows(ctx)[0]).toMatchObject({ state: 'failed', attempts: 1 });
    expect(rows(ctx)[0]?.lastError).toMatch(/^550/);

    const app = await buildApp(ctx.config, { context: ctx });
    try {
      const admin = authHeader(ctx, 'admin');
      const list = await app.inject({ url: '/api/digests?state=failed', headers: admin });
      expect(list.statusCode).toBe(200);
      expect(list.json().items).toEqual([
        expect.objectContaining({
          email: 'anna@kiel.example',
          period: '2026-W48',
          state: 'failed',
          lastError: expect.stringMatching(/^550/),
        }),
      ]);
      // A failed digest is not retried on its own: the next run leaves it alone.
      expect(await runDigests(ctx, { now, ...fast })).toMatchObject({ sent: 0, failed: 0 });
      reject = false;
      const id = list.json().items[0].id;
      const retry = await app.inject({ method: 'POST', url: `/api/digests/${id}/retry`, headers: admin });
      expect(retry.json()).toEqual({ id, state: 'pending' });
      const again = await app.inject({ method: 'POST', url: `/api/digests/${id}/retry`, headers: admin });
      expect(again.statusCode).toBe(409);
    } finally {
      await app.close();
    }
    expect(await runDigests(ctx, { now, ...fast })).toMatchObject({ sent: 1 });
    expect(smtp.received).toHaveLength(1);
  });

  it('defers when the server refuses connections, and delivers once it is back', async () => {
    const port = await freePort();
    const ctx = makeCtx({ SMTP_URL: `smtp://127.0.0.1:${port}` });
    seed(ctx);
    expect(await runDigests(ctx, { now, ...fast })).toMatchObject({ sent: 0, deferred: 1 });
    const [row] = rows(ctx);
    expect(row).toMatchObject({ state: 'pending', attempts: 3 });
    expect(row?.lastError).toMatch(/ECONNREFUSED/);
    expect(Date.parse(row?.nextAttemptAt ?? '')).toBeGreaterThan(now.getTime());

    // Not yet due: nothing happens before nextAttemptAt.
    expect(await runDigests(ctx, { now, ...fast })).toMatchObject({ sent: 0, deferred: 0 });
    const smtp = await startSmtpServer(undefined, port);
    servers.push(smtp);
    const later = new Date(Date.parse(row?.nextAttemptAt ?? '') + 1000);
    expect(await runDigests(ctx, { now: later, ...fast })).toMatchObject({ sent: 1 });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]?.parsed.messageId).toBe(row?.messageId);
    expect(rows(ctx)).toHaveLength(1);
  });

  it('writes real .eml files to OUTBOX_DIR without SMTP_URL', async () => {
    const ctx = makeCtx();
    const s = seed(ctx);
    expect(await runDigests(ctx, { now })).toMatchObject({ sent: 1 });
    const files = readdirSync(ctx.config.mail.outboxDir);
    expect(files).toEqual(['2026-W48_subscriber-1_digest-1.eml']);
    const raw = readFileSync(join(ctx.config.mail.outboxDir, files[0] as string));
    expect(raw.includes('\r\n')).toBe(true);
    const mail = await simpleParser(raw);
    expect(mail.subject).toBe('Fördermittel-Digest KW 48/2026: 1 neu');
    expect(mail.messageId).toBe('<digest-1-2026-W48@localhost>');
    expect(mail.text).toContain('Town Twinning');
    expect(mail.html).toContain('Town Twinning');
    expect(mail.text).toContain(`/unsubscribe/${s.unsubscribeToken}`);
    expect(rows(ctx)[0]?.smtpResponse).toContain(files[0]);
    // Twice in the period: still one file.
    await runDigests(ctx, { now });
    expect(readdirSync(ctx.config.mail.outboxDir)).toHaveLength(1);
  });

  it('sends nothing in an empty period when DIGEST_SEND_EMPTY=false, and nothing to the unsubscribed', async () => {
    const ctx = makeCtx({ DIGEST_SEND_EMPTY: 'false' });
    createSubscriber(ctx, { name: 'Cem', email: 'cem@kiel.example', actionFields: ['chinastrategie'] }, now);
    const s = seed(ctx);
    unsubscribe(ctx, s.unsubscribeToken);
    const report = await runDigests(ctx, { now });
    expect(report).toMatchObject({ sent: 0, skippedEmpty: 1, created: 0 });
    expect(rows(ctx).map((r) => [r.subscriberId, r.state])).toEqual([[1, 'skipped']]);
  });

  it('drops a waiting digest when its reader unsubscribes before it could be sent', async () => {
    const port = await freePort();
    const ctx = makeCtx({ SMTP_URL: `smtp://127.0.0.1:${port}` });
    const s = seed(ctx);
    expect(await runDigests(ctx, { now, tries: 1 })).toMatchObject({ deferred: 1 });
    unsubscribe(ctx, s.unsubscribeToken);
    const smtp = await startSmtpServer(undefined, port);
    servers.push(smtp);
    await runDigests(ctx, { now: new Date(now.getTime() + 86_400_000), tries: 1 });
    expect(smtp.received).toHaveLength(0);
    expect(rows(ctx)[0]).toMatchObject({ state: 'skipped', lastError: 'unsubscribed before sending' });
  });

  it('dry run composes but writes and sends nothing', async () => {
    const ctx = makeCtx();
    seed(ctx);
    const report = await runDigests(ctx, { now, dryRun: true });
    expect(report.preview).toEqual([
      {
        subscriberId: 1,
        email: 'anna@kiel.example',
        period: '2026-W48',
        subject: 'Fördermittel-Digest KW 48/2026: 1 neu',
        items: 1,
        empty: false,
      },
    ]);
    expect(rows(ctx)).toHaveLength(0);
  });
});
