import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { fromPackage } from '../src/paths.ts';
import * as schema from './schema/index.ts';

export type Db = BetterSQLite3Database<typeof schema>;

export interface DbHandle {
  db: Db;
  sqlite: Database.Database;
  close(): void;
}

export const migrationsFolder = fromPackage('db', 'migrations');

/** How often the write-ahead log is copied into the database file, by default. */
const defaultCheckpointMs = 10_000;

/**
 * Opens (and creates) the SQLite file with WAL and foreign keys on. Transactions with
 * better-sqlite3 are synchronous; keep them so (no awaits inside `db.transaction`).
 */
export function openDatabase(path: string, options: { checkpointEveryMs?: number } = {}): DbHandle {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  // 64 MB page cache (default 2 MB): re-matches update rows spread over the whole matches table.
  sqlite.pragma('cache_size = -65536');
  // WAL checkpoints off the commit path: with SQLite's default (every 1,000 pages) the commit
  // that crosses the limit copies the log into the file, which made a re-match after a crawl
  // several times slower. A timer checkpoints instead, and closing the connection does too.
  sqlite.pragma('wal_autocheckpoint = 0');
  const checkpoints = setInterval(() => {
    try {
      sqlite.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy or closing: the next tick or the close checkpoints.
    }
  }, options.checkpointEveryMs ?? defaultCheckpointMs);
  checkpoints.unref();
  const db = drizzle(sqlite, { schema });
  let closed = false;
  return {
    db,
    sqlite,
    close() {
      if (closed) return;
      closed = true;
      clearInterval(checkpoints);
      sqlite.close();
    },
  };
}

/** Applies the committed drizzle-kit migrations; a no-op when the file is current. */
export function runMigrations(handle: DbHandle): void {
  migrate(handle.db, { migrationsFolder });
}

export { schema };
