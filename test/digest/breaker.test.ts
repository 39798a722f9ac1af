import { createServer } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { digests } from '../../db/schema/index.ts';
import { runCli } from '../../src/cli/main.ts';
import type { AppContext } from '../../src/context.ts';
import { runDigests } from '../../src/digest/send.ts';
import { createSubscriber } from '../../src/digest/subscribers.ts';
import { useTestContext } from '../helpers/context.ts';
import { useTmpDir } from '../helpers/tmp.ts';

const now = new Date('2026-11-23T07:00:00Z');

function subscribe(ctx: AppContext, count: number): void {
  for (let i = 1; i <= count; i++)
    createSubscriber(ctx, { name: `R${i}`, email: `r${i}@kiel.example`, actionFields: ['ostseeraum'] }, now);
}

/** A real SMTP server on loopback that answers every connection with "421 too busy" and hangs up. */
async function refusingSmtp(): Promise<{
  url: string;
  connections: () => number;
  close: () => Promise<void>;
}> {
  let connections = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      connections++;
      callback(Object.assign(new Error('Too busy, try again later'), { responseCode: 421 }));
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    connections: () => connections,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('digest send with the mail server down: circuit breaker (issue 12)', () => {
  const makeCtx = useTestContext();
  const tmp = useTmpDir();
  const closers: Array<() => Promise<void>> = [];
  const saved = { ...process.env };
  afterEach(async () => {
    process.env = { ...saved };
    for (const c of closers.splice(0)) await c();
  });

  it('a server that refuses every session: stops after 3 connections, the rest stays pending', async () => {
    const smtp = await refusingSmtp();
    closers.push(smtp.close);
    const ctx = makeCtx({ SMTP_URL: smtp.url });
    subscribe(ctx, 6);
    const report = await runDigests(ctx, { now, tries: 3, backoffMs: 5 });
    expect(report).toMatchObject({ sent: 0, failed: 0, deferred: 1 });
    expect(report.stopped).toEqual({ failures: 3, pending: 5, error: expect.stringMatching(/^421 /) });
    expect(smtp.connections()).toBe(3);
    const rows = ctx.dbh.db.select().from(digests).all();
    expect(rows.map((r) => r.state)).toEqual(Array(6).fill('pending'));
    expect(rows.map((r) => r.attempts)).toEqual([3, 0, 0, 0, 0, 0]);
  });

  it('a closed port: `digest send` says so in one line, exits non-zero, all digests left pending', async () => {
    const dir = tmp();
    Object.assign(process.env, {
      DATABASE_PATH: join(dir, 'cli.db'),
      OUTBOX_DIR: join(dir, 'outbox'),
      SMTP_URL: `smtp://127.0.0.1:${await closedPort()}`,
      LOG_LEVEL: 'silent',
    });
    const out: string[] = [];
    const err: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
      out.push(a.join(' '));
    });
    const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
      err.push(a.join(' '));
    });
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    try {
      for (const n of [1, 2, 3, 4])
        expect(
          await runCli([
            'subscriber',
            'add',
            '--name',
            `R${n}`,
            '--email',
            `r${n}@kiel.example`,
            '--action-field',
            'ostseeraum',
          ]),
        ).toBe(0);
      out.length = 0;
      expect(await runCli(['digest', 'send'])).toBe(2);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(
        /^foerdermatch: Mailserver nicht erreichbar \/ mail server unreachable \(3 failures in a row: .*ECONNREFUSED.*\); stopped, 4 digest\(s\) left pending for the next run$/,
      );
      expect(out.join('')).toContain('sent 0, deferred 1, failed 0');
      out.length = 0;
      expect(await runCli(['digest', 'list', '--state', 'pending'])).toBe(0);
      expect(out.join('').match(/ pending /g)).toHaveLength(4);
    } finally {
      log.mockRestore();
      error.mockRestore();
      write.mockRestore();
    }
  });
});
