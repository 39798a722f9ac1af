import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase, runMigrations } from '../../db/client.ts';
import { buildApp } from '../../src/app.ts';
import { upsertCall } from '../../src/calls/store.ts';
import { fromPackage } from '../../src/paths.ts';
import { sampleCall } from '../helpers/calls.ts';
import { useTestContext } from '../helpers/context.ts';
import { useTmpDir } from '../helpers/tmp.ts';

const bin = fromPackage('bin', 'foerdermatch.js');
const server = fromPackage('src', 'server.ts');

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a real process to its end (the server is expected to refuse to start, so it ends too). */
function runProcess(args: string[], env: NodeJS.ProcessEnv, ms = 30_000): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running after ${ms} ms:\n${stdout}\n${stderr}`));
    }, ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A real database with migrations and three calls, closed and checkpointed into the file. */
function realDatabase(path: string): void {
  const h = openDatabase(path);
  runMigrations(h);
  for (const n of [1, 2, 3]) upsertCall(h.db, sampleCall({ id: `import:c${n}`, sourceId: `c${n}` }));
  h.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  h.close();
}

/** Overwrites the first page of the `calls` table's b-tree with garbage, as a failing disk would. */
function damageCallsPage(path: string): void {
  const db = new Database(path, { readonly: true });
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  const root = (
    db.prepare("select rootpage from sqlite_master where name = 'calls'").get() as { rootpage: number }
  ).rootpage;
  db.close();
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (root - 1) * pageSize);
  closeSync(fd);
}

/** One line on stderr, no stack trace. */
function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('database faults (real files, real processes) (issue 12)', { timeout: 120_000 }, () => {
  const tmp = useTmpDir();

  it('a garbage file: the CLI and the server say so in one line and exit non-zero, before listening', async () => {
    const dir = tmp();
    const db = join(dir, 'garbage.db');
    writeFileSync(db, Buffer.from('this is not a database, just some bytes\n'.repeat(200)));
    const cli = await runProcess([bin, 'runs'], { DATABASE_PATH: db });
    expect(cli.code).toBe(2);
    expectOneLine(
      cli.stderr,
      /^foerdermatch: Datenbank \/ database .*garbage\.db is not a SQLite database .*\(SQLITE_NOTADB\)/,
    );

    const srv = await runProcess(['--import', 'tsx', server], {
      DATABASE_PATH: db,
      PORT: '0',
      OUTBOX_DIR: join(dir, 'outbox'),
    });
    expect(srv.code).toBe(1);
    expectOneLine(srv.stderr, /^foerdermatch: Datenbank \/ database .*garbage\.db is not a SQLite database/);
    expect(srv.stdout).not.toMatch(/listening|läuft/);
  });

  it('a damaged page of a real database: quick_check at open refuses it in one line', async () => {
    const db = join(tmp(), 'damaged.db');
    realDatabase(db);
    damageCallsPage(db);
    const cli = await runProcess([bin, 'calls'], { DATABASE_PATH: db });
    expect(cli.code).toBe(2);
    expectOneLine(
      cli.stderr,
      /^foerdermatch: Datenbank \/ database .*damaged\.db is damaged \(quick_check: /,
    );
  });

  it('a directory where the file should be: one line, non-zero', async () => {
    const dir = join(tmp(), 'a-folder.db');
    mkdirSync(dir);
    const cli = await runProcess([bin, 'runs'], { DATABASE_PATH: dir });
    expect(cli.code).toBe(2);
    expectOneLine(
      cli.stderr,
      /^foerdermatch: Datenbank \/ database .*a-folder\.db is a directory, not a file$/,
    );
  });

  // Tests run as root in CI, where file modes do not stop writes; the immutable attribute does.
  // Where `chattr +i` is not permitted (no CAP_LINUX_IMMUTABLE, or a filesystem without it) the
  // test is skipped: that is a limit of the machine, not a pass.
  const immutableWorks = (() => {
    const probe = join(fromPackage('node_modules'), '.foerdermatch-chattr-probe');
    writeFileSync(probe, '');
    const ok = spawnSync('chattr', ['+i', probe]).status === 0;
    if (ok) spawnSync('chattr', ['-i', probe]);
    spawnSync('rm', ['-f', probe]);
    return ok;
  })();

  it.skipIf(!immutableWorks)(
    'a read-only database file (chattr +i, works as root): the server stops before listening',
    async () => {
      const dir = tmp();
      const db = join(dir, 'readonly.db');
      realDatabase(db);
      spawnSync('chattr', ['+i', db]);
      try {
        const srv = await runProcess(['--import', 'tsx', server], {
          DATABASE_PATH: db,
          PORT: '0',
          OUTBOX_DIR: join(dir, 'outbox'),
        });
        expect(srv.code).toBe(1);
        expectOneLine(
          srv.stderr,
          /^foerdermatch: Datenbank \/ database .*readonly\.db cannot be written .*\(SQLITE_READONLY\)/,
        );
        expect(srv.stdout).not.toMatch(/listening|läuft/);
      } finally {
        spawnSync('chattr', ['-i', db]);
      }
    },
  );
});

describe('/ready on a database damaged while the server runs (issue 12)', () => {
  const makeCtx = useTestContext();

  it('answers 503 once a page of the file is damaged, though the open connection still has it cached', async () => {
    const ctx = makeCtx();
    for (const n of [1, 2, 3]) upsertCall(ctx.dbh.db, sampleCall({ id: `import:c${n}`, sourceId: `c${n}` }));
    const app = await buildApp(ctx.config, { context: ctx });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    try {
      // The lists still answer from the connection's cache; the file underneath is damaged.
      ctx.dbh.sqlite.pragma('wal_checkpoint(TRUNCATE)');
      damageCallsPage(ctx.config.databasePath);
      const res = await fetch(`${base}/ready`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({
        status: 'unavailable',
        database: expect.stringMatching(/^damaged: /),
      });
    } finally {
      await app.close();
    }
  });
});
