import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { describe, expect, it } from 'vitest';
import { migrationsFolder, openDatabase, runMigrations } from '../../db/client.ts';
import { upsertCall } from '../../src/calls/store.ts';
import { sampleCall } from '../helpers/calls.ts';
import { useTmpDir } from '../helpers/tmp.ts';

/** The migrations folder as a release that ended with migration `last` shipped it. */
function releaseUpTo(dir: string, last: number): string {
  const out = join(dir, 'migrations');
  cpSync(migrationsFolder, out, { recursive: true });
  const journalFile = join(out, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  for (const e of journal.entries.filter((x) => x.idx > last)) rmSync(join(out, `${e.tag}.sql`));
  journal.entries = journal.entries.filter((x) => x.idx <= last);
  writeFileSync(journalFile, JSON.stringify(journal));
  return out;
}

describe('upgrading a database of an earlier release', () => {
  const tmp = useTmpDir();

  it('keeps every match and its English reason when explanations stop being stored (0008)', () => {
    const h = openDatabase(join(tmp(), 'old.db'));
    migrate(h.db, { migrationsFolder: releaseUpTo(tmp(), 7) });
    upsertCall(h.db, sampleCall({ id: 'eu-ft:OLD', sourceId: 'OLD' }));
    const insert = h.sqlite.prepare(
      `insert into matches (call_id, target, target_kind, score, eligibility, reason, explanation, rule_version, matched_at)
       values ('eu-ft:OLD', ?, ?, ?, 'eligible', ?, ?, 1, '2026-11-01T05:00:00.000Z')`,
    );
    insert.run(
      'ostseeraum',
      'action-field',
      71,
      'Ostseeraum: Text: ostsee',
      '{"reasonEn":"Baltic Sea: text: ostsee","rules":[]}',
    );
    insert.run('ostseeraum-1', 'measure', 40, 'Maßnahme: kein Bezug erkannt', '{"rules":[]}');

    runMigrations(h);
    const rows = h.sqlite
      .prepare('select target, score, reason, reason_en from matches order by target')
      .all();
    expect(rows).toEqual([
      {
        target: 'ostseeraum',
        score: 71,
        reason: 'Ostseeraum: Text: ostsee',
        reason_en: 'Baltic Sea: text: ostsee',
      },
      // An explanation without an English line leaves it empty: lists then show the German one.
      { target: 'ostseeraum-1', score: 40, reason: 'Maßnahme: kein Bezug erkannt', reason_en: '' },
    ]);
    const columns = (h.sqlite.prepare('pragma table_info(matches)').all() as { name: string }[]).map(
      (c) => c.name,
    );
    expect(columns).not.toContain('explanation');
    h.close();
  });
});
