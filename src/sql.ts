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
