import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, runMigrations } from '../../db/client.ts';
import { useTmpDir } from '../helpers/tmp.ts';

const tables = (h: ReturnType<typeof openDatabase>) =>
  (
    h.sqlite.prepare("select name from sqlite_master where type='table' order by name").all() as {
      name: string;
    }[]
  ).map((r) => r.name);

describe('migrations', () => {
  const tmp = useTmpDir();

  it('create every table on a fresh file, with WAL and foreign keys on', () => {
    const h = openDatabase(join(tmp(), 'nested', 'fresh.db'));
    runMigrations(h);
    expect(tables(h)).toEqual(
      expect.arrayContaining([
        'action_fields',
        'measures',
        'partner_cities',
        'friend_cities',
        'networks',
        'overarching_goals',
        'strategic_goals',
        'sources',
        'calls',
        'call_deadlines',
        'call_changes',
        'crawl_runs',
        'rule_set_versions',
        'matches',
        'feedback',
        'subscribers',
        'digests',
        'digest_items',
        'api_tokens',
        'audit_log',
        'change_counters',
      ]),
    );
    expect(h.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(h.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    h.close();
  });

  it('are a no-op on an already migrated file and keep its data', () => {
    const file = join(tmp(), 'again.db');
    const a = openDatabase(file);
    runMigrations(a);
    a.sqlite
      .prepare(
        "insert into api_tokens (name, role, token_hash, created_at) values ('x', 'admin', 'h', '2026-01-01')",
      )
      .run();
    a.close();
    const b = openDatabase(file);
    runMigrations(b);
    const applied = b.sqlite.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number };
    const tokens = b.sqlite.prepare('select count(*) as n from api_tokens').get() as { n: number };
    expect(tokens.n).toBe(1);
    expect(applied.n).toBeGreaterThanOrEqual(1);
    runMigrations(b);
    expect(
      (b.sqlite.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number }).n,
    ).toBe(applied.n);
    b.close();
  });
});
