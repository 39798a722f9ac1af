import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { describe, expect, it } from 'vitest';
import { migrationsFolder, openDatabase, runMigrations } from '../../db/client.ts';
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

  it('keeps every match with its English line (0008) and every call waiting for a match (0009)', () => {
    const h = openDatabase(join(tmp(), 'old.db'));
    migrate(h.db, { migrationsFolder: releaseUpTo(tmp(), 7) });
    const call = h.sqlite.prepare(
      `insert into calls (id, source, source_id, title, status, applicant_types, countries, nuts, keywords, notices,
         fetched_at, source_url, content_hash, first_seen_at, last_seen_at, updated_at, needs_match)
       values (?, 'eu-ft', ?, 'Titel', 'open', '[]', '[]', '[]', '[]', '[]', ?, 'https://example.org', ?, ?, ?, ?, ?)`,
    );
    const at = '2026-11-01T05:00:00.000Z';
    call.run('eu-ft:OLD', 'OLD', at, 'hash-old', at, at, at, 0);
    call.run('eu-ft:NEW', 'NEW', at, 'hash-new', at, at, at, 1);
    const match = h.sqlite.prepare(
      `insert into matches (call_id, target, target_kind, score, eligibility, reason, explanation, rule_version, matched_at)
       values ('eu-ft:OLD', ?, ?, ?, 'eligible', ?, ?, 1, '2026-11-01T05:00:00.000Z')`,
    );
    match.run(
      'ostseeraum',
      'action-field',
      71,
      'Ostseeraum: Text: ostsee',
      '{"reasonEn":"Baltic Sea: text: ostsee","rules":[]}',
    );
    match.run('ostseeraum-1', 'measure', 40, 'Maßnahme: kein Bezug erkannt', '{"rules":[]}');

    runMigrations(h);
    expect(
      h.sqlite.prepare('select target, score, reason, reason_en from matches order by target').all(),
    ).toEqual([
      {
        target: 'ostseeraum',
        score: 71,
        reason: 'Ostseeraum: Text: ostsee',
        reason_en: 'Baltic Sea: text: ostsee',
      },
      // An explanation without an English line leaves it empty: lists then show the German one.
      { target: 'ostseeraum-1', score: 40, reason: 'Maßnahme: kein Bezug erkannt', reason_en: '' },
    ]);
    const columns = (table: string) =>
      (h.sqlite.prepare(`pragma table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
    expect(columns('matches')).not.toContain('explanation');
    expect(columns('calls')).not.toContain('needs_match');
    // The call that waited for a match still does, with the content it has.
    expect(h.sqlite.prepare('select call_id, content_hash from match_queue').all()).toEqual([
      { call_id: 'eu-ft:NEW', content_hash: 'hash-new' },
    ]);
    h.close();
  });
});
