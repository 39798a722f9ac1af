import { type ChildProcess, spawn } from 'node:child_process';
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

async function waitFor(url: string, child: ChildProcess, ms = 15_000): Promise<Response> {
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
