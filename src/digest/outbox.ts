import { hostname } from 'node:os';
import { and, asc, desc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { digestItems, digests, subscribers } from '../../db/schema/index.ts';
import type { DigestState } from '../domain/enums.ts';
import { type DigestContent, itemCount } from './model.ts';
import type { DigestPeriod } from './period.ts';

/**
 * The outbox, one row per (subscriber, period). States and who moves them:
 *
 *   pending ──claim──▶ sending ──accepted──▶ sent
 *      ▲                  │  └──5xx / too many tries──▶ failed ──admin retry──▶ pending
 *      └──4xx, refused────┘
 *   sending left behind by a dead process ──recover──▶ failed ("outcome unknown"), never resent
 *
 * Each transition is one synchronous SQLite statement, committed before the next step, so the
 * row always tells what may have happened. The claim is a compare-and-set, so two processes
 * never send the same row.
 */
export type DigestRow = typeof digests.$inferSelect;

/** After this many SMTP attempts over all runs a temporarily failing digest is given up. */
export const MAX_ATTEMPTS = 8;
/** A `sending` row older than this is stale even when its owner cannot be checked (another host). */
export const STALE_SENDING_MS = 30 * 60_000;

export const processTag = `${process.pid}@${hostname()}`;

export function messageIdFor(subscriberId: number, period: string, host: string): string {
  return `<digest-${subscriberId}-${period}@${host}>`;
}

export function findDigest(db: Db, subscriberId: number, period: string): DigestRow | undefined {
  return db
    .select()
    .from(digests)
    .where(and(eq(digests.subscriberId, subscriberId), eq(digests.period, period)))
    .get();
}

/**
 * Writes the outbox row and its items in one transaction. Returns undefined when a row for the
 * period exists already (another run got there first): the unique index decides.
 */
export function insertDigest(
  db: Db,
  input: {
    subscriberId: number;
    period: DigestPeriod;
    content: DigestContent;
    subject: string;
    host: string;
  },
  state: Extract<DigestState, 'pending' | 'skipped'>,
  now: Date,
): DigestRow | undefined {
  return db.transaction((tx) => {
    const row = tx
      .insert(digests)
      .values({
        subscriberId: input.subscriberId,
        period: input.period.key,
        periodStart: input.period.start.toISOString(),
        periodEnd: input.period.end.toISOString(),
        state,
        messageId: messageIdFor(input.subscriberId, input.period.key, input.host),
        subject: input.subject,
        itemCount: itemCount(input.content),
        content: input.content,
        createdAt: now.toISOString(),
      })
      .onConflictDoNothing()
      .returning()
      .get();
    if (!row) return undefined;
    const items = [
      ...input.content.groups.flatMap((g) =>
        g.items.map((i) => ({ callId: i.callId, section: 'new' as const })),
      ),
      ...input.content.changed.map((c) => ({ callId: c.callId, section: 'changed' as const })),
      ...input.content.closingSoon.map((c) => ({ callId: c.callId, section: 'closing-soon' as const })),
    ];
    for (const it of items)
      tx.insert(digestItems)
        .values({ digestId: row.id, ...it })
        .onConflictDoNothing()
        .run();
    return row;
  });
}

export function duePending(db: Db, now: Date): DigestRow[] {
  return db
    .select()
    .from(digests)
    .where(
      and(
        eq(digests.state, 'pending'),
        or(isNull(digests.nextAttemptAt), lte(digests.nextAttemptAt, now.toISOString())),
      ),
    )
    .orderBy(asc(digests.id))
    .all();
}

/** pending → sending, counting the attempt. False when another process claimed it first. */
export function claim(db: Db, id: number, now: Date): boolean {
  const r = db
    .update(digests)
    .set({
      state: 'sending',
      claimedBy: processTag,
      claimedAt: now.toISOString(),
      attempts: sql`${digests.attempts} + 1`,
    })
    .where(and(eq(digests.id, id), eq(digests.state, 'pending')))
    .run();
  return r.changes === 1;
}

/** One more SMTP attempt on a claimed row (a retry within the same run). */
export function countAttempt(db: Db, id: number): void {
  db.update(digests)
    .set({ attempts: sql`${digests.attempts} + 1` })
    .where(eq(digests.id, id))
    .run();
}

/** The first write after the server accepted the mail: nothing else runs in between. */
export function markSent(db: Db, id: number, response: string, now: Date): void {
  db.update(digests)
    .set({
      state: 'sent',
      sentAt: now.toISOString(),
      smtpResponse: response,
      lastError: null,
      nextAttemptAt: null,
    })
    .where(eq(digests.id, id))
    .run();
}

export function markFailed(db: Db, id: number, error: string): void {
  db.update(digests)
    .set({ state: 'failed', lastError: error, nextAttemptAt: null })
    .where(eq(digests.id, id))
    .run();
}

export function markDeferred(db: Db, id: number, error: string, nextAttemptAt: Date): void {
  db.update(digests)
    .set({ state: 'pending', lastError: error, nextAttemptAt: nextAttemptAt.toISOString() })
    .where(eq(digests.id, id))
    .run();
}

export function markSkipped(db: Db, id: number, reason: string): void {
  db.update(digests).set({ state: 'skipped', lastError: reason }).where(eq(digests.id, id)).run();
}

export function ownerAlive(claimedBy: string | null): boolean | undefined {
  const m = claimedBy ? /^(\d+)@(.+)$/.exec(claimedBy) : null;
  if (!m || m[2] !== hostname()) return undefined; // another host: cannot tell
  if (Number(m[1]) === process.pid) return true;
  try {
    process.kill(Number(m[1]), 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A `sending` row whose process is gone may or may not have been accepted by the server: the
 * crash fell between handing the mail over and recording the answer. Sending it again could
 * deliver it twice, so it is marked failed with "outcome unknown" for an admin to check (the
 * Message-ID lets them find it in the mail server's log) and, if it never arrived, requeue.
 */
export function recoverStaleSending(db: Db, now: Date): DigestRow[] {
  const rows = db.select().from(digests).where(eq(digests.state, 'sending')).all();
  const stale = rows.filter((r) => {
    const alive = ownerAlive(r.claimedBy);
    if (alive === false) return true;
    const age = now.getTime() - Date.parse(r.claimedAt ?? r.createdAt);
    return age > STALE_SENDING_MS;
  });
  for (const r of stale) {
    db.update(digests)
      .set({
        state: 'failed',
        lastError: `DELIVERY_UNKNOWN: the sending process (${r.claimedBy ?? '?'}) stopped while handing the mail to the server; not resent automatically to avoid a duplicate. Check the mail server log for ${r.messageId}; requeue if it never arrived.`,
      })
      .where(and(eq(digests.id, r.id), eq(digests.state, 'sending')))
      .run();
  }
  return stale;
}

/** Admin action: a failed (or skipped) digest goes back to pending, attempts reset. */
export function requeue(db: Db, id: number): DigestRow | undefined {
  return db
    .update(digests)
    .set({ state: 'pending', attempts: 0, nextAttemptAt: null, claimedBy: null, claimedAt: null })
    .where(and(eq(digests.id, id), inArray(digests.state, ['failed', 'skipped'])))
    .returning()
    .get();
}

export function listDigests(db: Db, filter: { state?: DigestState; limit: number }) {
  return db
    .select({
      id: digests.id,
      subscriberId: digests.subscriberId,
      subscriberName: subscribers.name,
      email: subscribers.email,
      period: digests.period,
      state: digests.state,
      attempts: digests.attempts,
      lastError: digests.lastError,
      messageId: digests.messageId,
      subject: digests.subject,
      itemCount: digests.itemCount,
      createdAt: digests.createdAt,
      sentAt: digests.sentAt,
      smtpResponse: digests.smtpResponse,
      nextAttemptAt: digests.nextAttemptAt,
    })
    .from(digests)
    .innerJoin(subscribers, eq(subscribers.id, digests.subscriberId))
    .where(filter.state ? eq(digests.state, filter.state) : undefined)
    .orderBy(desc(digests.id))
    .limit(filter.limit)
    .all();
}
