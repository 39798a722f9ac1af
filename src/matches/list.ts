import { z } from 'zod';
import { type CallCard, getCallCards } from '../calls/cards.ts';
import { statusAt } from '../calls/query.ts';
import { callSearchIndex } from '../calls/search-index.ts';
import type { AppContext } from '../context.ts';
import { type CallStatus, type Eligibility, eligibilities } from '../domain/enums.ts';
import { decimalNumber, wholeNumber } from '../domain/numbers.ts';
import { berlin, startOfDay } from '../domain/time.ts';
import { AppError } from '../errors.ts';
import { cached } from '../sql.ts';

export interface MatchRow {
  callId: string;
  target: string;
  targetKind: 'action-field' | 'measure';
  score: number;
  eligibility: Eligibility;
  reason: string;
  reasonEn: string;
  ruleVersion: number;
  matchedAt: string;
}

const matchColumns = `call_id as callId, target, target_kind as targetKind, score, eligibility, reason,
  reason_en as reasonEn, rule_version as ruleVersion, matched_at as matchedAt`;

/** All matches of one call, best first. */
export function matchesOfCall(ctx: AppContext, callId: string): MatchRow[] {
  return cached(
    ctx.dbh.sqlite,
    `select ${matchColumns} from matches where call_id = ? order by score desc, target`,
  ).all(callId) as MatchRow[];
}

export function getMatch(ctx: AppContext, callId: string, target: string): MatchRow | undefined {
  return cached(ctx.dbh.sqlite, `select ${matchColumns} from matches where call_id = ? and target = ?`).get(
    callId,
    target,
  ) as MatchRow | undefined;
}

/** The rows of `target` for these calls (a page's worth), by call id. */
function listedMatches(ctx: AppContext, target: string, callIds: readonly string[]): Map<string, MatchRow> {
  const out = new Map<string, MatchRow>();
  if (callIds.length === 0) return out;
  const marks = callIds.map(() => '?').join(',');
  for (const row of cached(
    ctx.dbh.sqlite,
    `select ${matchColumns} from matches where target = ? and call_id in (${marks})`,
  ).all(target, ...callIds) as MatchRow[])
    out.set(row.callId, row);
  return out;
}

export const targetMatchesQuerySchema = z.object({
  status: z
    .string()
    .max(100)
    .refine(
      (v) => v.split(',').every((s) => ['forthcoming', 'open', 'closed', 'open-ended'].includes(s.trim())),
      {
        message: 'expected one or more of forthcoming, open, closed, open-ended, separated by commas',
      },
    )
    .optional()
    .describe('default: open,forthcoming,open-ended'),
  deadlineFrom: z.iso.date().optional().describe('a deadline on or after this Europe/Berlin day'),
  deadlineTo: z.iso.date().optional().describe('a deadline on or before this Europe/Berlin day'),
  includeExcluded: z.enum(['true', 'false']).optional().describe('also list calls the city cannot apply for'),
  minScore: decimalNumber(0, 100).optional(),
  cursor: z.string().max(300).optional(),
  limit: wholeNumber(1, 100).optional(),
});
export type TargetMatchesQuery = z.infer<typeof targetMatchesQuerySchema>;

export interface TargetMatchItem {
  match: MatchRow;
  call: CallCard;
  status: CallStatus;
  myVerdict: 'relevant' | null;
}

interface Cursor {
  e: number;
  s: number;
  id: string;
}

const eligibilityOrder: readonly Eligibility[] = ['eligible', 'unclear', 'excluded'];

function decodeCursor(raw: string): Cursor {
  try {
    const c = z
      .object({ e: z.number().int().min(0).max(2), s: z.number(), id: z.string() })
      .parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return c;
  } catch {
    throw new AppError('VALIDATION_FAILED', 'Ungültiger Cursor / invalid cursor', {
      details: [{ path: 'querystring.cursor', message: 'not a cursor of this list' }],
    });
  }
}

/**
 * Ranked calls for one action field or measure: eligible first, then unclear, then (only on
 * request) excluded, each by score. Calls the token marked "not relevant" for this target are
 * left out. Reads the `matches` index in order and stops once the page is full.
 */
export function listTargetMatches(
  ctx: AppContext,
  target: string,
  input: TargetMatchesQuery,
  viewer: { tokenId: number },
  now = new Date(),
): { items: TargetMatchItem[]; next: string | null } {
  const t = now.getTime();
  const limit = input.limit ?? 20;
  const statuses = new Set((input.status ?? 'open,forthcoming,open-ended').split(',').map((s) => s.trim()));
  const from = input.deadlineFrom ? startOfDay(input.deadlineFrom, berlin) : null;
  const to = input.deadlineTo ? startOfDay(input.deadlineTo, berlin) + 86_400_000 - 1 : null;
  const after = input.cursor ? decodeCursor(input.cursor) : undefined;
  const classes = input.includeExcluded === 'true' ? eligibilityOrder : eligibilityOrder.slice(0, 2);
  const facts = callSearchIndex(ctx).facts;
  const { sqlite } = ctx.dbh;

  const verdicts = new Map(
    (
      cached(sqlite, 'select call_id as callId, verdict from feedback where target = ? and token_id = ?').all(
        target,
        viewer.tokenId,
      ) as { callId: string; verdict: string }[]
    ).map((r) => [r.callId, r.verdict]),
  );

  const picked: { callId: string; score: number; status: CallStatus; rank: number }[] = [];
  let more = false;
  outer: for (const [rank, eligibility] of classes.entries()) {
    if (after && rank < after.e) continue;
    // score desc, call_id desc: the list index read backwards, no sorting; it holds every
    // column read here, so the table itself is not touched until the page is known.
    const keyset = after && rank === after.e ? 'and (score < ? or (score = ? and call_id < ?))' : '';
    const args: unknown[] = [target, eligibility, input.minScore ?? 0];
    if (keyset) args.push(after!.s, after!.s, after!.id);
    const rows = cached(
      sqlite,
      `select call_id as callId, score from matches where target = ? and eligibility = ? and score >= ? ${keyset}
         order by score desc, call_id desc`,
    ).iterate(...args) as IterableIterator<{ callId: string; score: number }>;
    for (const { callId, score } of rows) {
      if (verdicts.get(callId) === 'not_relevant') continue;
      const f = facts.get(callId);
      if (!f) continue;
      const status = statusAt(f, t);
      if (!statuses.has(status)) continue;
      if (
        (from !== null || to !== null) &&
        !f.deadlines.some((d) => (from ?? -Infinity) <= d && d <= (to ?? Infinity))
      )
        continue;
      if (picked.length === limit) {
        more = true;
        break outer;
      }
      picked.push({ callId, score, status, rank });
    }
  }

  const matchRows = listedMatches(
    ctx,
    target,
    picked.map((p) => p.callId),
  );
  const calls = new Map(
    getCallCards(
      ctx.dbh.sqlite,
      picked.map((p) => p.callId),
    ).map((c) => [c.id, c]),
  );
  const last = picked.at(-1);
  return {
    items: picked
      .filter((p) => calls.has(p.callId) && matchRows.has(p.callId))
      .map((p) => ({
        match: matchRows.get(p.callId)!,
        call: calls.get(p.callId)!,
        status: p.status,
        myVerdict: verdicts.get(p.callId) === 'relevant' ? ('relevant' as const) : null,
      })),
    next:
      more && last
        ? Buffer.from(JSON.stringify({ e: last.rank, s: last.score, id: last.callId })).toString('base64url')
        : null,
  };
}

export { eligibilities };
