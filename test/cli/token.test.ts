import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyToken } from '../../src/auth/tokens.ts';
import { testConfig } from '../../src/config.ts';
import { createContext, createLogger } from '../../src/context.ts';
import { fromPackage } from '../../src/paths.ts';
import { useTmpDir } from '../helpers/tmp.ts';

const bin = fromPackage('bin', 'foerdermatch.js');

describe('foerdermatch token (real process)', () => {
  const tmp = useTmpDir();

  it('creates a token shown once, lists it without the secret, revokes it; bad input fails clearly', () => {
    const db = join(tmp(), 'cli.db');
    const run = (args: string[]) =>
      execFileSync(process.execPath, [bin, ...args], {
        env: { PATH: process.env.PATH, DATABASE_PATH: db },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    const created = run(['token', 'create', '--name', 'Projektleitung Ostsee', '--role', 'admin']);
    const token = created.trim().split('\n').at(-1)!;
    expect(token).toMatch(/^fm_[A-Za-z0-9_-]{20,}$/);
    expect(created).toContain(`Anmeldelink / sign-in link: http://localhost:3000/sign-in#token=${token}\n`);

    const listed = run(['token', 'list', '--json']);
    expect(listed).not.toContain(token);
    const rows = JSON.parse(listed) as { id: number; name: string; role: string; revokedAt: string | null }[];
    expect(rows).toEqual([
      expect.objectContaining({ name: 'Projektleitung Ostsee', role: 'admin', revokedAt: null }),
    ]);

    expect(run(['token', 'revoke', String(rows[0]!.id)])).toContain('revoked');
    let failure: { status: number; stderr: string } | undefined;
    try {
      run(['token', 'revoke', String(rows[0]!.id)]);
    } catch (err) {
      failure = err as { status: number; stderr: string };
    }
    expect(failure?.status).toBe(2);
    expect(failure?.stderr).toContain('no active token');
    try {
      run(['token', 'create', '--name', 'x', '--role', 'owner']);
      expect.unreachable();
    } catch (err) {
      expect((err as { stderr: string }).stderr).toContain('--role must be one of reader, admin');
    }

    const config = testConfig({ DATABASE_PATH: db });
    const ctx = createContext(config, createLogger(config));
    try {
      expect(verifyToken(ctx.dbh.db, token)).toBeUndefined();
      const actions = ctx.dbh.sqlite.prepare('select action from audit_log order by id').all() as {
        action: string;
      }[];
      expect(actions.map((a) => a.action)).toEqual(['token.create', 'token.revoke']);
    } finally {
      ctx.dbh.close();
    }
  });
});
