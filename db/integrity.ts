import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { AppError } from '../src/errors.ts';

/** Files up to this size get `PRAGMA quick_check` when opened (it reads every page: ~1 s per GB). */
export const QUICK_CHECK_MAX_BYTES = 256 * 1024 * 1024;

const hints: Record<string, string> = {
  SQLITE_NOTADB: 'is not a SQLite database (wrong file, or overwritten)',
  SQLITE_CORRUPT: 'is damaged (corrupt pages)',
  SQLITE_READONLY: 'cannot be written (read-only file or folder)',
  SQLITE_CANTOPEN: 'cannot be opened (missing folder, no permission, or a directory)',
  SQLITE_PERM: 'cannot be written (no permission)',
  SQLITE_FULL: 'cannot grow (disk full)',
};

/** SQLite's result code of an error, e.g. `SQLITE_CORRUPT` (extended codes folded to their base). */
export function sqliteCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown })?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return undefined;
  return Object.keys(hints).find((k) => code === k || code.startsWith(`${k}_`)) ?? code;
}

/**
 * One line an operator can act on for a database that cannot be used, as an AppError
 * (`DATABASE_UNUSABLE`): the CLI and the server print it and exit non-zero instead of a stack trace.
 */
export function databaseError(path: string, err: unknown): AppError {
  const code = sqliteCode(err) ?? (err as { code?: string })?.code ?? 'error';
  const what = hints[code] ?? (err instanceof Error ? err.message : String(err));
  return new AppError(
    'DATABASE_UNUSABLE',
    `Datenbank / database ${path} ${what} (${code}); see docs/operations.md "Database faults"`,
    { cause: err },
  );
}

/** `PRAGMA quick_check` on an open connection: undefined when sound, else the first problems found. */
export function quickCheck(sqlite: Database.Database): string | undefined {
  const rows = sqlite.pragma('quick_check(5)') as Array<{ quick_check: string }>;
  const problems = rows.map((r) => r.quick_check.replace(/\s+/g, ' ').trim()).filter((r) => r !== 'ok');
  return problems.length > 0 ? problems.join('; ') : undefined;
}

/**
 * Reads the file through a fresh read-only connection (a cold page cache, so pages damaged on
 * disk are seen even while the server's own connection still holds good copies in memory).
 * Undefined when the database is sound; else why not.
 */
export function probeDatabaseFile(path: string, maxCheckBytes = QUICK_CHECK_MAX_BYTES): string | undefined {
  if (path === ':memory:') return undefined;
  let probe: Database.Database | undefined;
  try {
    probe = new Database(path, { readonly: true, fileMustExist: true });
    probe.pragma('busy_timeout = 2000');
    if (cheapToCheck(path, maxCheckBytes)) return quickCheck(probe);
    probe.prepare('select count(*) from sqlite_master').get();
    return undefined;
  } catch (err) {
    return `${sqliteCode(err) ?? 'error'}: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    probe?.close();
  }
}

/** Whether the file is small enough for a quick check at open. */
export function cheapToCheck(path: string, maxBytes = QUICK_CHECK_MAX_BYTES): boolean {
  try {
    return statSync(path).size <= maxBytes;
  } catch {
    return true;
  }
}
