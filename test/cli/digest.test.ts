import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { useTmpDir } from '../helpers/tmp.ts';

/** Runs the CLI in-process (a real process costs seconds per command here; crash.test.ts spawns real ones). */
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    out += `${a.join(' ')}\n`;
  });
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
    err += `${a.join(' ')}\n`;
  });
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    return { code: await runCli(args), out, err };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
  }
}

describe('foerdermatch subscriber / digest commands', () => {
  const tmp = useTmpDir();
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('adds, lists, previews, sends to the outbox folder and removes a subscriber', async () => {
    const dir = tmp();
    Object.assign(process.env, {
      DATABASE_PATH: join(dir, 'cli.db'),
      OUTBOX_DIR: join(dir, 'outbox'),
      LOG_LEVEL: 'silent',
    });

    const add = await run(
      ['subscriber', 'add', '--name', 'Ben', '--email', 'ben@kiel.example', '--language', 'en'].concat([
        '--action-field',
        'ostseeraum',
        '--measure',
        'hochschulen-1',
        '--min-score',
        '55',
        '--cadence',
        'daily',
      ]),
    );
    expect(add.out).toContain('#1 Ben <ben@kiel.example>');
    const [s] = JSON.parse((await run(['subscriber', 'list', '--json'])).out);
    expect(s).toMatchObject({
      id: 1,
      language: 'en',
      cadence: 'daily',
      minScore: 55,
      actionFields: ['ostseeraum'],
      measures: ['hochschulen-1'],
    });
    expect(s).not.toHaveProperty('unsubscribeToken');

    const file = join(dir, 'preview.html');
    const preview = await run(['digest', 'preview', '--subscriber', '1', '--out', file]);
    expect(preview.out).toMatch(/^Subject: Funding digest \d{1,2} \w{3} \d{4}: nothing new/);
    expect(readFileSync(file, 'utf8')).toContain('<html lang="en">');

    expect((await run(['digest', 'send', '--dry-run'])).out).toContain(
      '1 digest(s) due; nothing sent (dry run)',
    );
    expect((await run(['digest', 'send'])).out).toContain('sent 1,');
    expect((await run(['digest', 'send'])).out).toContain('sent 0,');
    expect((await run(['digest', 'list'])).out).toMatch(
      /#1 \d{4}-\d{2}-\d{2} ben@kiel\.example sent attempts=1/,
    );
    expect((await run(['subscriber', 'remove', '1'])).out).toContain('removed: #1 ben@kiel.example');
    expect((await run(['subscriber', 'list'])).out).toContain('no subscribers');
    expect((await run(['subscriber', 'remove', '1'])).code).toBe(2);
  });

  it('rejects a bad address and unknown action fields together, with exit code 2', async () => {
    Object.assign(process.env, { DATABASE_PATH: join(tmp(), 'cli.db'), LOG_LEVEL: 'silent' });
    const r = await run([
      'subscriber',
      'add',
      '--name',
      'X',
      '--email',
      'x@kiel.example',
      '--action-field',
      'mars',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('actionFields.0: unknown action field "mars"');
  });
});
