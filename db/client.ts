import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { AppError, isAppError } from '../src/errors.ts';
import { fromPackage } from '../src/paths.ts';
import { cheapToCheck, databaseError, quickCheck, sqliteCode } from './integrity.ts';
import * as schema from './schema/index.ts';

export type Db = BetterSQLite3Database<typeof schema>;

export interface DbHandle {
  db: Db;
  sqlite: Database.Database;
  close(): void;
}

export const migrationsFolder = fromPackage('db', 'migrations');

/**
 * SQLite's page cache per connection, in KiB (SQLite's default is 2 MB). Serving reads a few
 * rows per request (list cards are read once and then kept, src/calls/cards.ts), which the
 * operating system's file cache serves as well, so it stays small: at 64 MB a server held
 * ~60 MB more after a search benchmark, and at 16 MB the search bench's server filled all of it
 * for no gain in throughput over 4 MB. A full re-match updates rows spread over the whole
 * matches table and gets the large cache for its duration (`withPageCache`).
 */
export const pageCacheKb = { serving: 4_096, fullRun: 65_536 } as const;

/** Runs `fn` with a page cache of `kb` KiB, then returns to the serving size and frees the rest. */
export function withPageCache<T>(sqlite: Database.Database, kb: number, fn: () => T): T {
  sqlite.pragma(`cache_size = -${kb}`);
  try {
    return fn();
  } finally {
    sqlite.pragma(`cache_size = -${pageCacheKb.serving}`);
    sqlite.pragma('shrink_memory');
  }
}

/**
 * Runs a scan of the whole file (`fn`) with the file memory-mapped: reading through the map
 * instead of a system call per page made the search index's first scan of the calls table
 * ~100 ms faster. The map is given up right after, so it does not stay in the process's memory
 * (and a disk fault can only meet the map during the scan).
 */
export function withMappedFile<T>(sqlite: Database.Database, fn: () => T): T {
  sqlite.pragma(`mmap_size = ${1 << 30}`);
  try {
    return fn();
  } finally {
    sqlite.pragma('mmap_size = 0');
  }
}

/** How often the write-ahead log is copied into the database file, by default. */
const defaultCheckpointMs = 10_000;

/**
 * Opens (and creates) the SQLite file with WAL and foreign keys on. Transactions with
 * better-sqlite3 are synchronous; keep them so (no awaits inside `db.transaction`).
 *
 * A file that cannot serve (not a database, damaged, read-only, a directory) fails here, before
 * anything listens, with one `DATABASE_UNUSABLE` line: `quick_check` runs when the file is small
 * enough for it to be cheap, and a no-op write proves the file and its folder take writes.
 */
export function openDatabase(
  path: string,
  options: { checkpointEveryMs?: number; quickCheck?: boolean } = {},
): DbHandle {
  let sqlite: Database.Database | undefined;
  try {
    sqlite = openChecked(path, options.quickCheck ?? true);
  } catch (err) {
    sqlite?.close();
    throw isAppError(err) ? err : databaseError(path, err);
  }
  return configure(sqlite, options);
}

function openChecked(path: string, check: boolean): Database.Database {
  if (path === ':memory:') return new Database(path);
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new AppError('DATABASE_UNUSABLE', `Datenbank / database ${path} is a directory, not a file`);
  }
  mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  try {
    // Reads the header: a file that is not SQLite fails here (SQLITE_NOTADB).
    sqlite.pragma('journal_mode = WAL');
    if (check && cheapToCheck(path)) {
      const problems = quickCheck(sqlite);
      if (problems) {
        throw new AppError(
          'DATABASE_UNUSABLE',
          `Datenbank / database ${path} is damaged (quick_check: ${problems.slice(0, 300)}); see docs/operations.md "Database faults"`,
        );
      }
    }
    sqlite.pragma('busy_timeout = 5000');
    const version = Number(sqlite.pragma('user_version', { simple: true }));
    try {
      sqlite.pragma(`user_version = ${version}`);
    } catch (err) {
      // Another process writing is no fault of the file.
      if (sqliteCode(err) !== 'SQLITE_BUSY') throw err;
    }
    return sqlite;
  } catch (err) {
    sqlite.close();
    throw err;
  }
}

function configure(sqlite: Database.Database, options: { checkpointEveryMs?: number }): DbHandle {
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma(`cache_size = -${pageCacheKb.serving}`);
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
