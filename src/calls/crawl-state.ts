import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { callChanges, calls, matchQueue } from '../../db/schema/index.ts';
import type { Call } from '../domain/call.ts';

/** A stored call's crawl bookkeeping: history, fingerprint, last seen, no longer listed. */

export function getCallChanges(db: Db, callId: string) {
  return db
    .select()
    .from(callChanges)
    .where(eq(callChanges.callId, callId))
    .orderBy(asc(callChanges.id))
    .all();
}

/** Crawl bookkeeping of one call: its listing fingerprint and when it was last fetched. */
export function getCrawlState(
  db: Db,
  id: string,
): { fingerprint: string | null; fetchedAt: string; delistedAt: string | null } | undefined {
  return db
    .select({ fingerprint: calls.listFingerprint, fetchedAt: calls.fetchedAt, delistedAt: calls.delistedAt })
    .from(calls)
    .where(eq(calls.id, id))
    .get();
}

/**
 * A call listed again without a fresh fetch: moves "last seen", re-lists it and stores the
 * fingerprint. Content (and so history) is untouched; see `upsertCall` for real changes.
 */
export function touchCall(
  db: Db,
  id: string,
  options: { now: Date; fingerprint?: string | undefined },
): void {
  db.update(calls)
    .set({
      lastSeenAt: options.now.toISOString(),
      delistedAt: null,
      ...(options.fingerprint !== undefined ? { listFingerprint: options.fingerprint } : {}),
    })
    .where(eq(calls.id, id))
    .run();
}

export function setListFingerprint(db: Db, id: string, fingerprint: string | null): void {
  db.update(calls).set({ listFingerprint: fingerprint }).where(eq(calls.id, id)).run();
}

/**
 * Marks every call of `source` that is not in `listedIds` as "no longer listed" (never deletes).
 * Only for complete, successful listings. Returns the ids newly marked.
 */
export function markDelisted(
  db: Db,
  source: Call['source'],
  listedIds: ReadonlySet<string>,
  now: Date,
): string[] {
  const candidates = db
    .select({ id: calls.id })
    .from(calls)
    .where(and(eq(calls.source, source), isNull(calls.delistedAt)))
    .all()
    .filter((r) => !listedIds.has(r.id))
    .map((r) => r.id);
  if (candidates.length === 0) return [];
  db.transaction((tx) => {
    for (const ids of chunk(candidates, 500)) {
      tx.update(calls).set({ delistedAt: now.toISOString() }).where(inArray(calls.id, ids)).run();
      // Queued for the matcher like a changed call.
      tx.insert(matchQueue)
        .select(
          tx
            .select({ callId: calls.id, contentHash: calls.contentHash })
            .from(calls)
            .where(inArray(calls.id, ids)),
        )
        .onConflictDoUpdate({ target: matchQueue.callId, set: { contentHash: sql`excluded.content_hash` } })
        .run();
    }
  });
  return candidates;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
