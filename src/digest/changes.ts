import { and, asc, gt, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { callChanges } from '../../db/schema/index.ts';
import { type Budget, type Deadline, nextDeadline } from '../domain/call.ts';
import type { CallStatus } from '../domain/enums.ts';
import type { Change, DigestDeadline } from './model.ts';

/** Fields a funding officer acts on; wording fixes in a description are not worth a mail. */
const reported = ['deadlines', 'status', 'budget', 'fundingRate', 'notices'] as const;

function toDeadline(d: Deadline | undefined): DigestDeadline | undefined {
  if (!d) return undefined;
  return { at: d.at, timeZone: d.timeZone, ...(d.label ? { label: d.label } : {}) };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * What changed in each call since `since`, from the field-level history: the oldest "from"
 * and the newest "to" per field, so a deadline moved twice reads as one move.
 */
export function changesSince(
  db: Db,
  callIds: readonly string[],
  since: string,
  now: Date,
): Map<string, Change[]> {
  const out = new Map<string, Change[]>();
  if (callIds.length === 0) return out;
  const rows = db
    .select()
    .from(callChanges)
    .where(
      and(
        inArray(callChanges.callId, [...callIds]),
        gt(callChanges.changedAt, since),
        inArray(callChanges.field, [...reported]),
      ),
    )
    .orderBy(asc(callChanges.id))
    .all();

  const spans = new Map<string, Map<string, { from: unknown; to: unknown }>>();
  for (const r of rows) {
    const perCall = spans.get(r.callId) ?? new Map<string, { from: unknown; to: unknown }>();
    const span = perCall.get(r.field);
    perCall.set(r.field, { from: span ? span.from : r.oldValue, to: r.newValue });
    spans.set(r.callId, perCall);
  }

  for (const [callId, fields] of spans) {
    const changes: Change[] = [];
    for (const [field, { from, to }] of fields) {
      if (field === 'deadlines') {
        const a = toDeadline(nextDeadline((from as Deadline[] | null) ?? [], now));
        const b = toDeadline(nextDeadline((to as Deadline[] | null) ?? [], now));
        if (!same(a?.at, b?.at)) changes.push({ field: 'deadline', from: a, to: b });
      } else if (field === 'status' && !same(from, to)) {
        changes.push({
          field: 'status',
          from: (from ?? undefined) as CallStatus,
          to: (to ?? undefined) as CallStatus,
        });
      } else if (field === 'budget' && !same(from, to)) {
        changes.push({
          field: 'budget',
          from: (from ?? undefined) as Budget,
          to: (to ?? undefined) as Budget,
        });
      } else if (field === 'fundingRate' && !same(from, to)) {
        changes.push({
          field: 'fundingRate',
          from: (from ?? undefined) as number,
          to: (to ?? undefined) as number,
        });
      } else if (field === 'notices') {
        const before = new Set((from as string[] | null) ?? []);
        const added = ((to as string[] | null) ?? []).filter((n) => !before.has(n));
        if (added.length > 0) changes.push({ field: 'notices', added });
      }
    }
    if (changes.length > 0) out.set(callId, changes);
  }
  return out;
}
