import { readFileSync } from 'node:fs';
import { parseImportFile } from '../calls/import-jsonl.ts';
import { upsertCall } from '../calls/store.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { matchCalls } from '../matching/service.ts';
import { fromPackage } from '../paths.ts';

export const DEMO_FILE = fromPackage('demo', 'calls.jsonl');

export function callCount(ctx: AppContext): number {
  return ctx.dbh.sqlite.prepare('select count(*) from calls').pluck().get() as number;
}

/**
 * Loads the demo calls (real recorded calls, see demo/SOURCES.md) and matches them, like
 * `import` followed by `match`. Refused when the database already holds calls, unless forced:
 * demo data must never mix silently with crawled data.
 */
export function loadDemo(
  ctx: AppContext,
  options: { force?: boolean; file?: string; now?: Date } = {},
): { imported: number; matched: number; rows: number } {
  const existing = callCount(ctx);
  if (existing > 0 && !options.force) {
    throw new AppError(
      'CONFLICT',
      `Die Datenbank enthält schon ${existing} Calls; Demodaten nur in eine leere Datenbank (oder --force). / The database already holds ${existing} calls; demo data goes only into an empty one (or --force).`,
    );
  }
  const file = options.file ?? DEMO_FILE;
  const { calls, errors } = parseImportFile(readFileSync(file, 'utf8'), options.now);
  if (errors.length > 0) {
    throw new AppError(
      'IMPORT_INVALID',
      `${file}: ${errors.map((e) => `line ${e.line}: ${e.reason}`).join('; ')}`,
    );
  }
  ctx.dbh.db.transaction((tx) => {
    for (const c of calls) upsertCall(tx, c.call);
  });
  const r = matchCalls(ctx, options.now ? { now: options.now } : {});
  return { imported: calls.length, matched: r.calls, rows: r.rows };
}
