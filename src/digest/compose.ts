import { and, desc, eq, gte, inArray, isNull, ne } from 'drizzle-orm';
import { calls, digestItems, digests, matches } from '../../db/schema/index.ts';
import { getCalls, type StoredCall } from '../calls/store.ts';
import { conceptIndex } from '../concept/load.ts';
import type { AppContext } from '../context.ts';
import { gapsByField } from '../coverage/gaps.ts';
import { archivedFrom, computeStatus, type Deadline, nextDeadline } from '../domain/call.ts';
import type { DigestState } from '../domain/enums.ts';
import { changesSince } from './changes.ts';
import { coverageNotes } from './coverage.ts';
import { callListUrl, callPageUrl, unsubscribeUrl } from './links.ts';
import type { ChangedItem, ClosingItem, DigestContent, DigestDeadline, NewGroup, NewItem } from './model.ts';
import type { DigestPeriod } from './period.ts';
import type { SubscriberRow } from './subscribers.ts';

/** At most this many items per section; the rest is counted and linked ("N weitere"). */
export const MAX_ITEMS = 30;
export const CLOSING_SOON_DAYS = 14;

/** Outbox states whose items count as delivered to the reader (for "new" and "changed"). */
const deliveredStates: DigestState[] = ['pending', 'sending', 'sent'];

type MatchRow = typeof matches.$inferSelect;

function digestDeadline(d: Deadline | undefined): DigestDeadline | undefined {
  return d ? { at: d.at, timeZone: d.timeZone, ...(d.label ? { label: d.label } : {}) } : undefined;
}

function reasonEn(m: MatchRow): string {
  return m.reasonEn.length > 0 ? m.reasonEn : m.reason;
}

/** Eligible before unclear, then score, then the earlier deadline, then id (stable). */
function rank(a: NewItem, b: NewItem): number {
  if (a.eligibility !== b.eligibility) return a.eligibility === 'eligible' ? -1 : 1;
  if (a.score !== b.score) return b.score - a.score;
  const da = a.deadline ? Date.parse(a.deadline.at) : Number.POSITIVE_INFINITY;
  const db = b.deadline ? Date.parse(b.deadline.at) : Number.POSITIVE_INFINITY;
  if (da !== db) return da - db;
  return a.callId.localeCompare(b.callId);
}

/** The subscriber's matching calls: open/forthcoming/open-ended, not excluded, at least the minimum score. */
function matchingCalls(ctx: AppContext, s: SubscriberRow) {
  const targets = [...s.actionFields, ...s.measures];
  if (targets.length === 0)
    return { best: new Map<string, MatchRow>(), callsById: new Map<string, StoredCall>() };
  const rows = ctx.dbh.db
    .select({ m: matches })
    .from(matches)
    .innerJoin(calls, eq(calls.id, matches.callId))
    .where(
      and(
        inArray(matches.target, targets),
        gte(matches.score, s.minScore),
        ne(matches.eligibility, 'excluded'),
        inArray(calls.status, ['open', 'forthcoming', 'open-ended']),
        isNull(calls.delistedAt),
      ),
    )
    .all();
  // A call appears once per digest: keep its best match over all followed targets.
  const best = new Map<string, MatchRow>();
  for (const { m } of rows) {
    const cur = best.get(m.callId);
    const better =
      !cur ||
      (m.eligibility === 'eligible' && cur.eligibility !== 'eligible') ||
      (m.eligibility === cur.eligibility && m.score > cur.score);
    if (better) best.set(m.callId, m);
  }
  const callsById = new Map(getCalls(ctx.dbh.db, [...best.keys()]).map((c) => [c.id, c]));
  return { best, callsById };
}

/** Calls already put in front of this subscriber, by any earlier digest that was (or is being) delivered. */
function previouslySent(ctx: AppContext, subscriberId: number): Set<string> {
  const rows = ctx.dbh.db
    .selectDistinct({ callId: digestItems.callId })
    .from(digestItems)
    .innerJoin(digests, eq(digests.id, digestItems.digestId))
    .where(and(eq(digests.subscriberId, subscriberId), inArray(digests.state, deliveredStates)))
    .all();
  return new Set(rows.map((r) => r.callId));
}

/** Start of the window: when the subscriber's previous digest was composed. */
function previousDigestAt(ctx: AppContext, subscriberId: number): string | undefined {
  return ctx.dbh.db
    .select({ createdAt: digests.createdAt })
    .from(digests)
    .where(
      and(eq(digests.subscriberId, subscriberId), inArray(digests.state, [...deliveredStates, 'skipped'])),
    )
    .orderBy(desc(digests.createdAt))
    .limit(1)
    .get()?.createdAt;
}

/**
 * Composes one subscriber's digest for a period: new matching calls grouped by action field
 * (best first), changes to calls sent before, followed calls closing within 14 days, and the
 * sources whose last crawls failed. Reads only; the outbox row is written by the sender.
 */
export function composeDigest(
  ctx: AppContext,
  subscriber: SubscriberRow,
  period: DigestPeriod,
  now: Date,
): DigestContent {
  const { config } = ctx;
  const idx = conceptIndex(ctx.concept.concept);
  const { best, callsById } = matchingCalls(ctx, subscriber);
  const sent = previouslySent(ctx, subscriber.id);
  const since = previousDigestAt(ctx, subscriber.id);
  const shown = new Set<string>();

  // New: matching calls this reader has not been sent yet.
  const fresh: NewItem[] = [];
  for (const [callId, m] of best) {
    const c = callsById.get(callId);
    if (!c || sent.has(callId)) continue;
    // A call stored as open-ended whose programme period or title year has since passed is archived.
    if (c.deadlines.length === 0 && computeStatus([], c.openingDate, now, archivedFrom(c)) === 'closed')
      continue;
    const deadline = digestDeadline(nextDeadline(c.deadlines, now));
    fresh.push({
      callId,
      title: c.title,
      ...(c.programme ? { programme: c.programme } : {}),
      ...(c.identifier ? { identifier: c.identifier } : {}),
      score: Math.round(m.score),
      reasonDe: m.reason,
      reasonEn: reasonEn(m),
      eligibility: m.eligibility === 'eligible' ? 'eligible' : 'unclear',
      target: m.target,
      status: c.status,
      ...(deadline ? { deadline } : {}),
      ...(c.fundingRate !== undefined ? { fundingRate: c.fundingRate } : {}),
      ...(c.budget ? { budget: c.budget } : {}),
      ...(c.url ? { url: c.url } : {}),
      pageUrl: callPageUrl(config, callId),
    });
  }
  fresh.sort(rank);
  const kept = new Set(fresh.slice(0, MAX_ITEMS).map((i) => i.callId));
  const groups = new Map<string, NewGroup>();
  for (const item of fresh) {
    const fieldKey = idx.fields.has(item.target)
      ? item.target
      : idx.measures.get(item.target)?.actionFieldKey;
    const field = fieldKey ? idx.fields.get(fieldKey) : undefined;
    if (!field) continue;
    let g = groups.get(field.key);
    if (!g) {
      // Link to the field when it is followed, else to the one followed measure of it.
      const measures = subscriber.measures.filter((m) => idx.measures.get(m)?.actionFieldKey === field.key);
      const target =
        subscriber.actionFields.includes(field.key) || measures.length !== 1
          ? { actionField: field.key }
          : { measure: measures[0] as string };
      g = {
        actionFieldKey: field.key,
        actionFieldNumber: field.number,
        actionFieldName: field.name,
        items: [],
        more: 0,
        moreUrl: callListUrl(config, { ...target, minScore: subscriber.minScore }),
      };
      groups.set(field.key, g);
    }
    if (kept.has(item.callId)) {
      g.items.push(item);
      shown.add(item.callId);
    } else g.more++;
  }

  // Changed: calls sent before, whatever their score now (a closed or suspended call matters most).
  const changedAll: ChangedItem[] = [];
  if (since) {
    const changes = changesSince(ctx.dbh.db, [...sent], since, now);
    const changedCalls = new Map(getCalls(ctx.dbh.db, [...changes.keys()]).map((c) => [c.id, c]));
    for (const [callId, list] of changes) {
      const c = changedCalls.get(callId);
      if (!c || shown.has(callId)) continue;
      changedAll.push({
        callId,
        title: c.title,
        ...(c.url ? { url: c.url } : {}),
        pageUrl: callPageUrl(config, callId),
        changes: list,
      });
    }
    changedAll.sort((a, b) => a.title.localeCompare(b.title, 'de') || a.callId.localeCompare(b.callId));
  }
  const changed = changedAll.slice(0, MAX_ITEMS);
  for (const c of changed) shown.add(c.callId);

  // Closing soon: followed calls with a deadline within 14 days that this digest does not list yet.
  const horizon = now.getTime() + CLOSING_SOON_DAYS * 86_400_000;
  const closingAll: ClosingItem[] = [];
  for (const [callId, c] of callsById) {
    if (shown.has(callId)) continue;
    const d = c.deadlines
      .filter((x) => Date.parse(x.at) >= now.getTime() && Date.parse(x.at) <= horizon)
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))[0];
    if (!d) continue;
    closingAll.push({
      callId,
      title: c.title,
      ...(c.programme ? { programme: c.programme } : {}),
      deadline: digestDeadline(d) as DigestDeadline,
      ...(c.url ? { url: c.url } : {}),
      pageUrl: callPageUrl(config, callId),
    });
  }
  closingAll.sort(
    (a, b) => Date.parse(a.deadline.at) - Date.parse(b.deadline.at) || a.callId.localeCompare(b.callId),
  );
  const closingSoon = closingAll.slice(0, MAX_ITEMS);

  return {
    version: 1,
    period: period.key,
    cadence: period.cadence,
    language: subscriber.language,
    subscriberName: subscriber.name,
    generatedAt: now.toISOString(),
    ...(since ? { since } : {}),
    groups: [...groups.values()].sort((a, b) => a.actionFieldNumber - b.actionFieldNumber),
    newMore: fresh.length - kept.size,
    changed,
    changedMore: changedAll.length - changed.length,
    closingSoon,
    closingMore: closingAll.length - closingSoon.length,
    coverage: coverageNotes(ctx.dbh.db),
    gaps: gapsByField(ctx, subscriber, now).map(({ actionFieldKey: _key, ...g }) => g),
    moreUrl: callListUrl(config, {
      ...(subscriber.actionFields.length + subscriber.measures.length === 1
        ? subscriber.actionFields[0]
          ? { actionField: subscriber.actionFields[0] }
          : { measure: subscriber.measures[0] as string }
        : {}),
      minScore: subscriber.minScore,
    }),
    unsubscribeUrl: unsubscribeUrl(config, subscriber.unsubscribeToken),
  };
}
