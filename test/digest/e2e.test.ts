import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { matches } from '../../db/schema/index.ts';
import { runCli } from '../../src/cli/main.ts';
import type { AppContext } from '../../src/context.ts';
import { createSubscriber } from '../../src/digest/subscribers.ts';
import { berlin, dateInZone } from '../../src/domain/time.ts';
import { fromPackage } from '../../src/paths.ts';
import { useTestContext } from '../helpers/context.ts';
import { type ReceivedMail, startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';
import { useTmpDir } from '../helpers/tmp.ts';

const day = 86_400_000;
// Berlin calendar days: the digest counts days to a deadline in Berlin time, also near midnight.
const isoDay = (ms: number) => dateInZone(ms, berlin);

/** Dev-set calls with their (mostly past) deadlines moved into the weeks ahead. */
function devCallsAhead(now: number): string {
  const ahead: Record<string, string[]> = {
    'cerv-2025-town-tt': [isoDay(now + 40 * day)],
    'interreg-bsr-2023-small': [
      `Idea form ${isoDay(now + 10 * day)}`,
      `Application ${isoDay(now + 60 * day)}`,
    ],
    'eic-accelerator-2024': [isoDay(now + 30 * day)],
    'southbaltic-2025-call4': [isoDay(now + 50 * day)],
    'msca-pf-2024': [isoDay(now + 20 * day)],
  };
  return readFileSync(fromPackage('test', 'fixtures', 'digest', 'dev-calls.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const c = JSON.parse(line) as { id: string; deadlines: string[] };
      return JSON.stringify({ ...c, deadlines: ahead[c.id] ?? [] });
    })
    .join('\n');
}

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    out += `${a.join(' ')}\n`;
  });
  try {
    return { code: await runCli(args), out };
  } finally {
    write.mockRestore();
    log.mockRestore();
  }
}

describe('end to end: import dev calls, match them for real, send the digests', () => {
  const makeCtx = useTestContext();
  const tmp = useTmpDir();
  const saved = { ...process.env };
  let smtp: TestSmtpServer;
  let ctx: AppContext;
  afterEach(() => {
    process.env = { ...saved };
  });
  afterAll(async () => smtp?.close());

  it('delivers a German and an English digest with the calls Kiel can apply for', async () => {
    smtp = await startSmtpServer();
    ctx = makeCtx({ SMTP_URL: smtp.url });
    Object.assign(process.env, {
      DATABASE_PATH: ctx.config.databasePath,
      SMTP_URL: smtp.url,
      OUTBOX_DIR: ctx.config.mail.outboxDir,
      LOG_LEVEL: 'silent',
    });
    const file = join(tmp(), 'dev-calls.jsonl');
    writeFileSync(file, devCallsAhead(Date.now()));
    expect((await cli(['import', file])).out).toContain('7 importiert / imported (new 7');
    expect((await cli(['match'])).code).toBe(0);
    expect(ctx.dbh.db.select().from(matches).all().length).toBeGreaterThan(0);

    createSubscriber(ctx, {
      name: 'Anna',
      email: 'anna@kiel.example',
      actionFields: ['staedtepartnerschaften', 'ostseeraum', 'agenda-2030'],
    });
    createSubscriber(ctx, {
      name: 'Ben',
      email: 'ben@kiel.example',
      language: 'en',
      actionFields: ['ostseeraum'],
    });
    const send = await cli(['digest', 'send']);
    expect(send.out).toContain('sent 2,');
    expect(smtp.received).toHaveLength(2);

    const de = smtp.received.find((m) => m.envelope.to[0] === 'anna@kiel.example') as ReceivedMail;
    const text = de.parsed.text ?? '';
    const section = (from: string, to: string) =>
      text.slice(text.indexOf(from), to ? text.indexOf(to) : undefined);
    const twinning = section('Handlungsfeld 1: Städtepartnerschaften', 'Handlungsfeld 3');
    const baltic = section('Handlungsfeld 3: Ostseeraum', 'Handlungsfeld 12');
    expect(twinning).toContain('Call Town Twinning 2025');
    expect(baltic).toContain('Interreg Baltic Sea Region');
    // The Interreg idea form, the next of its two deadlines: ten Berlin days ahead.
    expect(baltic).toMatch(/Frist: .* – in 10 Tagen/);
    // Calls Kiel cannot apply for never reach the digest.
    for (const title of ['EIC Accelerator', 'South Baltic', 'Marie Skłodowska-Curie'])
      expect(text).not.toContain(title);
    // Each call once, however many followed fields it fits.
    expect(text.split('Call Town Twinning 2025').length - 1).toBe(1);
    expect(de.parsed.subject).toMatch(/^Fördermittel-Digest KW \d+\/\d{4}: \d+ neu/);

    const en = smtp.received.find((m) => m.envelope.to[0] === 'ben@kiel.example') as ReceivedMail;
    expect(en.parsed.subject).toMatch(/^Funding digest week \d+\/\d{4}: \d+ new/);
    expect(en.parsed.text).toContain('Action field 3: Ostseeraum');
    expect(en.parsed.text).toContain('Interreg Baltic Sea Region');
    expect(en.parsed.text).toMatch(/Fit \d+\/100 – Ostseeraum: /);

    // Sending again in the same period adds nothing.
    expect((await cli(['digest', 'send'])).out).toContain('sent 0,');
    expect(smtp.received).toHaveLength(2);
  });
});
