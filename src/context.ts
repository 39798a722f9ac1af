import pino, { type Logger } from 'pino';
import { type DbHandle, openDatabase, runMigrations } from '../db/client.ts';
import { databaseError, sqliteCode } from '../db/integrity.ts';
import { type LoadedConcept, loadConceptFile } from './concept/load.ts';
import { syncConcept } from './concept/sync.ts';
import type { Config } from './config.ts';

/**
 * Everything a request handler, job or command needs; built once per process. A plain value
 * from the floors below (config, database, concept): what happens after a crawl is wired by the
 * composition roots (`buildApp`, the CLI's `withContext`), which call `installPipeline`.
 */
export interface AppContext {
  config: Config;
  dbh: DbHandle;
  concept: LoadedConcept;
  logger: Logger;
}

/** `toStderr` keeps logs out of a command's stdout (which may be JSON piped elsewhere). */
export function createLogger(config: Config, options: { toStderr?: boolean } = {}): Logger {
  const opts = { level: config.logLevel, base: { app: 'foerdermatch' } };
  return options.toStderr ? pino(opts, pino.destination(2)) : pino(opts);
}

/** Opens the database, applies migrations and syncs the concept file into it. */
export function createContext(config: Config, logger: Logger = createLogger(config)): AppContext {
  const concept = loadConceptFile(config.conceptFile);
  const dbh = openDatabase(config.databasePath);
  try {
    runMigrations(dbh);
    const sync = syncConcept(dbh.db, concept);
    logger.debug({ ...sync, file: concept.file }, 'concept synced');
  } catch (err) {
    dbh.close();
    // A damaged table that quick_check did not reach still fails as one clear line.
    throw sqliteCode(err) ? databaseError(config.databasePath, err) : err;
  }
  return { config, dbh, concept, logger };
}
