import type { AppContext } from '../context.ts';
import { type Deadline, nextDeadline } from '../domain/call.ts';
import type { DeadlineStage, Language, PursuitStatus } from '../domain/enums.ts';
import type { Pursuit } from './model.ts';
import { preSubmissionStatuses } from './status.ts';

interface Row {
  id: number;
  callId: string;
  title: string;
  programme: string | null;
  url: string | null;
  callStatus: string;
  ownerTokenId: number;
  ownerName: string;
  ownerEmail: string;
  ownerLanguage: Language;
  status: PursuitStatus;
  amountApplied: number | null;
  amountGranted: number | null;
  partners: string;
  partnersText: string | null;
  createdAt: string;
  updatedAt: string;
  unseen: number;
}

const select = `select p.id, p.call_id as callId, c.title, c.programme, c.url, c.status as callStatus,
  p.owner_token_id as ownerTokenId, t.name as ownerName, p.owner_email as ownerEmail,
  p.owner_language as ownerLanguage, p.status, p.amount_applied as amountApplied,
  p.amount_granted as amountGranted, p.partners, p.partners_text as partnersText,
  p.created_at as createdAt, p.updated_at as updatedAt,
  (select count(*) from pursuit_alerts a where a.pursuit_id = p.id and a.seen_at is null) as unseen
  from pursuits p join calls c on c.id = p.call_id join api_tokens t on t.id = p.owner_token_id`;

/** A passed deadline counts while the pursuit is not yet submitted and no deadline lies ahead. */
export function isDeadlineMissed(
  status: PursuitStatus,
  deadlines: readonly { at: string }[],
  now: Date,
): boolean {
  return (
    preSubmissionStatuses.includes(status) &&
    deadlines.length > 0 &&
    !deadlines.some((d) => Date.parse(d.at) >= now.getTime())
  );
}

/** Deadlines of the given calls, by call id. */
export function deadlinesOf(ctx: AppContext, callIds: readonly string[]): Map<string, Deadline[]> {
  const out = new Map<string, Deadline[]>();
  if (callIds.length === 0) return out;
  const rows = ctx.dbh.sqlite
    .prepare(
      `select call_id as callId, at, time_zone as timeZone, raw, stage, label from call_deadlines
       where call_id in (select value from json_each(?)) order by call_id, position`,
    )
    .all(JSON.stringify([...new Set(callIds)])) as {
    callId: string;
    at: string;
    timeZone: string;
    raw: string;
    stage: DeadlineStage;
    label: string | null;
  }[];
  for (const { callId, label, ...d } of rows) {
    const list = out.get(callId) ?? [];
    list.push({ ...d, ...(label ? { label } : {}) });
    out.set(callId, list);
  }
  return out;
}

/** Pursuits by a SQL condition on `p` (and `c`, the call), as views; order as given. */
export function readPursuits(
  ctx: AppContext,
  where: string,
  args: unknown[],
  now: Date,
  orderBy = 'p.id',
): Pursuit[] {
  const rows = ctx.dbh.sqlite.prepare(`${select} where ${where} order by ${orderBy}`).all(...args) as Row[];
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const measures = new Map<number, string[]>();
  for (const m of ctx.dbh.sqlite
    .prepare(
      `select pursuit_id as id, measure_id as measure from pursuit_measures
       where pursuit_id in (select value from json_each(?)) order by measure_id`,
    )
    .all(JSON.stringify(ids)) as { id: number; measure: string }[])
    measures.set(m.id, [...(measures.get(m.id) ?? []), m.measure]);
  const deadlines = deadlinesOf(
    ctx,
    rows.map((r) => r.callId),
  );
  return rows.map((r) => {
    const ds = deadlines.get(r.callId) ?? [];
    return {
      id: r.id,
      call: {
        id: r.callId,
        title: r.title,
        programme: r.programme,
        url: r.url,
        status: r.callStatus,
        nextDeadline: nextDeadline(ds, now) ?? null,
      },
      measures: measures.get(r.id) ?? [],
      owner: { tokenId: r.ownerTokenId, name: r.ownerName, email: r.ownerEmail, language: r.ownerLanguage },
      status: r.status,
      amountApplied: r.amountApplied,
      amountGranted: r.amountGranted,
      partners: JSON.parse(r.partners) as string[],
      partnersText: r.partnersText,
      deadlineMissed: isDeadlineMissed(r.status, ds, now),
      unseenAlerts: r.unseen,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    };
  });
}
