import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromPackage } from '../src/paths.ts';
import { useTmpDir } from './helpers/tmp.ts';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, child: ChildProcess, ms = 45_000): Promise<Response> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      return await fetch(url);
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} did not answer`);
}

describe('server entry (real process)', () => {
  const tmp = useTmpDir();

  it('starts on a fresh database, prints a first admin token, serves the concept and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const dir = tmp();
    const child = spawn(process.execPath, ['--import', 'tsx', fromPackage('src', 'server.ts')], {
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        DATABASE_PATH: join(dir, 'server.db'),
        OUTBOX_DIR: join(dir, 'outbox'),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => {
      stdout += d;
    });
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const health = await waitFor(`http://127.0.0.1:${port}/health`, child);
      expect(health.status).toBe(200);
      await new Promise((r) => setTimeout(r, 200));
      const token = /(fm_[A-Za-z0-9_-]+)/.exec(stderr)?.[1];
      expect(token, stderr).toBeDefined();
      const res = await fetch(`http://127.0.0.1:${port}/api/action-fields`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { items: unknown[] }).items).toHaveLength(12);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stdout).toContain('shutting down');
  });
});

interface Started {
  child: ChildProcess;
  exited: Promise<number | null>;
  out: () => string;
  err: () => string;
}

function start(command: string, args: string[], env: NodeJS.ProcessEnv): Started {
  const child = spawn(command, args, {
    cwd: fromPackage(),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += d;
  });
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

/**
 * A POST whose body arrives in parts: in flight from its first byte until the last part is sent.
 * `sendRest` sends the remaining parts (with pauses); the promise is the answer.
 */
function slowPost(port: number, token: string, body: string) {
  const bytes = Buffer.from(body);
  const half = Math.floor(bytes.length / 2);
  let sendRest = () => {};
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/subscribers',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': String(bytes.length),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.write(bytes.subarray(0, half));
    sendRest = () => {
      setTimeout(() => req.write(bytes.subarray(half, half + 5)), 300);
      setTimeout(() => req.end(bytes.subarray(half + 5)), 800);
    };
  });
  return { answer, sendRest: () => sendRest() };
}

/** Process ids below `pid` (for cleaning up after a failed test). */
function descendants(pid: number | undefined): number[] {
  if (!pid) return [];
  try {
    const kids = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    return kids.flatMap((k) => [k, ...descendants(k)]);
  } catch {
    return [];
  }
}

describe('start command and signals (real processes) (issue 12)', { timeout: 120_000 }, () => {
  const tmp = useTmpDir();

  it('npm start: SIGTERM to the PID it created drains slow in-flight requests, then exits 0', async () => {
    const port = await freePort();
    const dir = tmp();
    const npm = start('npm', ['start', '--silent'], {
      PORT: String(port),
      DATABASE_PATH: join(dir, 'server.db'),
      OUTBOX_DIR: join(dir, 'outbox'),
    });
    let pid = 0;
    try {
      await waitFor(`http://127.0.0.1:${port}/health`, npm.child);
      const until = Date.now() + 10_000;
      while (!/"pid":\d+/.test(npm.out()) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      pid = Number(/"pid":(\d+)/.exec(npm.out())?.[1]);
      const token = /(fm_[A-Za-z0-9_-]+)/.exec(npm.err())?.[1];
      expect(token, npm.err()).toBeDefined();
      // The start command's own child is the server: nothing in between that would swallow a signal.
      const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(npm.child.pid)], {
        encoding: 'utf8',
      });
      expect(children.trim().split(/\s+/).map(Number)).toEqual([pid]);

      const posts = [1, 2, 3].map((n) =>
        slowPost(
          port,
          token!,
          JSON.stringify({ name: `Person ${n}`, email: `p${n}@kiel.example`, actionFields: ['ostseeraum'] }),
        ),
      );
      const received = Date.now() + 10_000;
      const seen = () => (npm.out().match(/"method":"POST","url":"\/api\/subscribers"/g) ?? []).length;
      while (seen() < 3 && Date.now() < received) await new Promise((r) => setTimeout(r, 20));
      expect(seen()).toBe(3);

      process.kill(pid, 'SIGTERM');
      const shutdown = Date.now() + 10_000;
      while (!npm.out().includes('shutting down') && Date.now() < shutdown)
        await new Promise((r) => setTimeout(r, 20));
      for (const p of posts) p.sendRest();
      const answers = await Promise.all(posts.map((p) => p.answer));
      expect(
        answers.map((a) => a.status),
        answers[0]?.body,
      ).toEqual([201, 201, 201]);
      expect(await npm.exited).toBe(0);
      expect(npm.out()).toMatch(/"signal":"SIGTERM".*shutting down/);
    } finally {
      // Never leave a server behind when an assertion failed.
      const left = [pid, ...descendants(npm.child.pid)];
      npm.child.kill('SIGKILL');
      for (const p of left) {
        try {
          if (p) process.kill(p, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  });

  it('a port already in use: one clear line and exit code 1, no stack trace', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const dir = tmp();
    try {
      const srv = start(process.execPath, ['--import', 'tsx', fromPackage('src', 'server.ts')], {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_PATH: join(dir, 'server.db'),
        OUTBOX_DIR: join(dir, 'outbox'),
      });
      expect(await srv.exited).toBe(1);
      const lines = srv.err().trim().split('\n');
      expect(lines, srv.err()).toEqual([
        `foerdermatch: Adresse belegt / address already in use: 127.0.0.1:${port} (EADDRINUSE); another foerdermatch running? Stop it or set PORT`,
      ]);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });
});
