import type { AppContext } from '../context.ts';
import { type MatchRunResult, matchPending } from '../matching/service.ts';
import type { ImportedCall } from './import-jsonl.ts';
import { upsertCall } from './store.ts';

export interface ImportResult {
  counts: { new: number; changed: number; unchanged: number };
  /** The incremental re-match of the new and changed calls, as after a crawl. */
  match: MatchRunResult;
}

/**
 * Stores imported calls in one transaction and matches what changed, as a crawl does: an
 * imported call is in the lists and digests right away, not only after `foerdermatch match`.
 */
export function importCalls(ctx: AppContext, calls: readonly ImportedCall[]): ImportResult {
  const counts = { new: 0, changed: 0, unchanged: 0 };
  ctx.dbh.db.transaction((tx) => {
    for (const c of calls) counts[upsertCall(tx, c.call)]++;
  });
  return { counts, match: matchPending(ctx) };
}
