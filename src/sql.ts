import type Database from 'better-sqlite3';

const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * A prepared statement per connection and SQL text, prepared once. Compiling SQL costs more
 * than running the small queries of a request, so hot paths take their statements from here.
 */
export function cached(sqlite: Database.Database, sql: string): Database.Statement {
  let byText = caches.get(sqlite);
  if (!byText) {
    byText = new Map();
    caches.set(sqlite, byText);
  }
  let st = byText.get(sql);
  if (!st) {
    st = sqlite.prepare(sql);
    byText.set(sql, st);
  }
  return st;
}

/** Rows written through a connection by bookkeeping (token last-used times), per connection. */
const bookkeeping = new WeakMap<Database.Database, number>();
/** Last `data_version` read per connection, and when (it costs a look at the WAL index). */
const versions = new WeakMap<Database.Database, { version: number; at: number }>();
/** How long a read `data_version` is taken as current: commits of other processes show within this. */
const versionTtlMs = 1;

/**
 * The generation of the data as seen through this connection: it changes with every row
 * written through it and with every commit of another connection or process (a CLI import,
 * `foerdermatch match`, a token revoked from the command line; those show within a
 * millisecond). Caches of what was read keep the generation they were filled at and are void
 * once it differs, so no write path has to remember to invalidate them. Bookkeeping writes
 * (`runBookkeeping`) are left out.
 */
export function dataGeneration(sqlite: Database.Database): string {
  const own = cached(sqlite, 'select total_changes()').pluck().get() as number;
  const now = performance.now();
  let seen = versions.get(sqlite);
  if (!seen || now - seen.at >= versionTtlMs) {
    seen = { version: cached(sqlite, 'pragma data_version').pluck().get() as number, at: now };
    versions.set(sqlite, seen);
  }
  return `${own - (bookkeeping.get(sqlite) ?? 0)}|${seen.version}`;
}

/**
 * Runs a write that changes nothing a cached answer shows (e.g. a token's last-used minute),
 * so it does not void every cache of the connection.
 */
export function runBookkeeping(sqlite: Database.Database, statement: Database.Statement, ...args: unknown[]) {
  const { changes } = statement.run(...args);
  bookkeeping.set(sqlite, (bookkeeping.get(sqlite) ?? 0) + changes);
}

const callsSeen = new WeakMap<Database.Database, { quick: string; calls: number }>();

/**
 * The generation of the calls and their deadlines alone: a counter that triggers raise on every
 * write to `calls` (migration 0011; deadlines are written only with their call's row), read
 * only when `dataGeneration` moved. What is kept
 * from calls (list cards and their text) stays valid through writes elsewhere — a token created,
 * feedback given, a pursuit moved — which used to void it all and cost the next ~30,000 list
 * answers ~18 % more CPU while every card was read and written again (bench/api.ts).
 *
 * Undefined inside a transaction of this connection: a rollback takes the counter back, so a
 * value seen there may later stand for other data; nothing read there may be kept under it.
 */
export function callsGeneration(sqlite: Database.Database): number | undefined {
  if (sqlite.inTransaction) return undefined;
  const quick = dataGeneration(sqlite);
  let seen = callsSeen.get(sqlite);
  if (!seen || seen.quick !== quick) {
    const n = cached(sqlite, "select n from change_counters where name = 'calls'").pluck().get() as number;
    seen = { quick, calls: n };
    callsSeen.set(sqlite, seen);
  }
  return seen.calls;
}
