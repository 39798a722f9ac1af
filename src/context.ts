import pino, { type DestinationStream, type Logger } from 'pino';
import { type DbHandle, openDatabase, runMigrations } from '../db/client.ts';
import { databaseError, sqliteCode } from '../db/integrity.ts';
import { redactUrl } from './api/redact.ts';
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

/** The request as fastify logs it, with any `?token=` masked (calendar and feed URLs carry one). */
function requestSerializer(req: {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}) {
  return {
    method: req.method,
    url: redactUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/**
 * `toStderr` keeps logs out of a command's stdout (which may be JSON piped elsewhere);
 * `destination` is for tests that read the log.
 */
export function createLogger(
  config: Config,
  options: { toStderr?: boolean; destination?: DestinationStream } = {},
): Logger {
  // Fastify takes serializers of the logger it is given over its own, so this one applies.
  const opts = {
    level: config.logLevel,
    base: { app: 'foerdermatch' },
    serializers: { req: requestSerializer },
  };
  if (options.destination) return pino(opts, options.destination);
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
