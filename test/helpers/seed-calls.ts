import { parseImportFile } from '../../src/calls/import-jsonl.ts';
import { upsertCall } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import { matchCalls } from '../../src/matching/service.ts';

export interface SeedLine {
  id: string;
  title: string;
  summary?: string;
  source?: string;
  programme?: string;
  applicants?: string;
  deadlines?: string[];
  language?: string;
}

/** A date `days` from now as YYYY-MM-DD (deadlines ahead keep calls open). */
export const daysAhead = (days: number, now = new Date()) =>
  new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Stores calls the way `foerdermatch import` does (JSON Lines → normalized calls → upsert) and
 * matches them with the active rules. Throws on any line the importer refuses.
 */
export function seedCalls(ctx: AppContext, lines: SeedLine[], now = new Date()): void {
  const { calls, errors } = parseImportFile(lines.map((l) => JSON.stringify(l)).join('\n'), now);
  if (errors.length > 0) throw new Error(`seed lines refused: ${JSON.stringify(errors)}`);
  for (const c of calls) upsertCall(ctx.dbh.db, c.call, { now });
  matchCalls(ctx, { now });
}
