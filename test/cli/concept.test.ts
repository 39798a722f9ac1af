import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromPackage } from '../../src/paths.ts';
import { useTmpDir } from '../helpers/tmp.ts';

const bin = fromPackage('bin', 'foerdermatch.js');

describe('foerdermatch CLI (real process)', () => {
  const tmp = useTmpDir();
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    execFileSync(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH, DATABASE_PATH: join(tmp(), 'cli.db'), ...env },
      encoding: 'utf8',
    });

  it('migrate creates the database', () => {
    expect(run(['migrate'])).toMatch(/database up to date/);
  });

  it('concept show --json prints the whole concept', () => {
    const c = JSON.parse(run(['concept', 'show', '--json']));
    expect(c.actionFields).toHaveLength(12);
    expect(c.actionFields.flatMap((f: { measures: unknown[] }) => f.measures)).toHaveLength(60);
    expect(c.partnerCities).toHaveLength(13);
  });

  it('concept show prints a readable German overview', () => {
    const out = run(['concept', 'show']);
    expect(out).toContain('Handlungsfelder:');
    expect(out).toContain('3. Ostseeraum [ostseeraum] — 5 Maßnahmen');
  });

  it('stops with one message listing every invalid variable', () => {
    try {
      run(['migrate'], { PORT: 'x', CRAWL_RETRIES: '99' });
      expect.unreachable('should fail');
    } catch (err) {
      const e = err as { status: number; stderr: string };
      expect(e.status).toBe(2);
      expect(e.stderr).toContain('PORT');
      expect(e.stderr).toContain('CRAWL_RETRIES');
    }
  });
});
