import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { fromPackage } from '../../src/paths.ts';
import { useTmpDir } from '../helpers/tmp.ts';

const bin = fromPackage('bin', 'foerdermatch.js');
const lines = [
  {
    id: 'tt',
    source: 'eu-ft',
    programme: 'Citizens, Equality, Rights and Values (CERV)',
    identifier: 'CERV-2024-CITIZENS-TOWN-TT',
    title: 'Town Twinning',
    summary: 'Exchanges between citizens of twinned towns.',
    applicants: 'Towns and municipalities',
    deadlines: ['2024-09-19T17:00'],
    language: 'en',
  },
  {
    id: 'eic',
    source: 'eu-ft',
    programme: 'Horizon Europe – EIC',
    title: 'EIC Accelerator',
    summary: 'Equity for start-ups in towns and municipalities.',
    applicants: 'Start-ups and SMEs',
    deadlines: [],
  },
];

describe('foerdermatch import / match / rank (real process)', () => {
  const tmp = useTmpDir();

  it('imports good lines, reports bad ones, then matches', () => {
    const dir = tmp();
    const file = join(dir, 'calls.jsonl');
    writeFileSync(file, `${JSON.stringify(lines[0])}\n{"id": "x"}\n${JSON.stringify(lines[1])}\n`);
    const env = { PATH: process.env.PATH, DATABASE_PATH: join(dir, 'cli.db') };
    const imp = spawnSync(process.execPath, [bin, 'import', file], { env, encoding: 'utf8' });
    expect(imp.status).toBe(2);
    expect(imp.stderr).toContain('calls.jsonl:2: title:');
    expect(imp.stdout).toMatch(/^2 importiert/);
    const m = execFileSync(process.execPath, [bin, 'match'], { env, encoding: 'utf8' });
    expect(m).toMatch(/^2 Calls, \d+ Treffer/);
  });

  it('import matches what it imported, as a crawl does (no separate `match` needed)', () => {
    const dir = tmp();
    const file = join(dir, 'calls.jsonl');
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n'));
    const env = { PATH: process.env.PATH, DATABASE_PATH: join(dir, 'cli.db') };
    const out = execFileSync(process.execPath, [bin, 'import', file], { env, encoding: 'utf8' });
    expect(out).toMatch(/^2 importiert/);
    expect(out).toMatch(/\n2 Calls abgeglichen \/ matched, [1-9]\d* Treffer-Zeilen/);
    const db = new Database(join(dir, 'cli.db'), { readonly: true });
    try {
      const rows = db
        .prepare("select target, eligibility from matches where call_id = 'eu-ft:tt' order by score desc")
        .all() as { target: string; eligibility: string }[];
      expect(rows[0]).toEqual({ target: 'staedtepartnerschaften', eligibility: 'eligible' });
      const pending = db.prepare('select count(*) as n from match_queue').get() as {
        n: number;
      };
      expect(pending.n).toBe(0);
    } finally {
      db.close();
    }
    // Importing the same file again changes nothing and writes no match rows.
    const again = execFileSync(process.execPath, [bin, 'import', file], { env, encoding: 'utf8' });
    expect(again).toContain('unchanged 2');
    expect(again).toMatch(/\n0 Calls abgeglichen \/ matched, 0 Treffer-Zeilen/);
  });

  it('rank --json ranks every target, excluded calls last', () => {
    const dir = tmp();
    const file = join(dir, 'calls.jsonl');
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n'));
    const out = execFileSync(
      process.execPath,
      [bin, 'rank', '--calls', file, '--ignore-deadlines', '--top', '2', '--json'],
      { env: { PATH: process.env.PATH, DATABASE_PATH: join(dir, 'unused.db') }, encoding: 'utf8' },
    );
    const r = JSON.parse(out);
    expect(Object.keys(r.actionFields)).toHaveLength(12);
    expect(Object.keys(r.measures)).toHaveLength(60);
    const tw = r.actionFields.staedtepartnerschaften;
    expect(tw.map((e: { id: string }) => e.id)).toEqual(['tt', 'eic']);
    expect(tw[1].excluded).toBe(true);
    expect(tw[1].reasons[0]).toMatch(/^Ausgeschlossen: Nur Unternehmen/);
  });
});
