import { and, eq, gte, inArray, isNull, ne } from 'drizzle-orm';
import { z } from 'zod';
import { calls, matches } from '../../db/schema/index.ts';
import { getCalls, type StoredCall } from '../calls/store.ts';
import { conceptIndex } from '../concept/load.ts';
import type { AppContext } from '../context.ts';
import type { CallStatus } from '../domain/enums.ts';
import { decimalNumber } from '../domain/numbers.ts';
import { AppError } from '../errors.ts';

/** `?actionField=a&actionField=b` or `?actionField=a,b`: both give ['a', 'b']. */
const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) =>
    (v === undefined ? [] : Array.isArray(v) ? v : [v])
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter(Boolean),
  );

/** Query of the calendar and the feed; `token` is the read-only API token of the subscription URL. */
export const feedQuerySchema = z.object({
  actionField: list,
  measure: list,
  minScore: decimalNumber(0, 100).default(40),
  token: z.string().optional(),
});
export type FeedQuery = z.infer<typeof feedQuerySchema>;

export interface SelectedCall {
  call: StoredCall;
  target: string;
  score: number;
  eligibility: 'eligible' | 'unclear';
  reason: string;
  matchedAt: string;
}

/**
 * Calls that match the given action fields/measures (all targets when none is given) with at
 * least `minScore` and are not excluded; one entry per call with its best match.
 */
export function selectMatchingCalls(
  ctx: AppContext,
  q: FeedQuery,
  statuses: readonly CallStatus[],
): SelectedCall[] {
  const idx = conceptIndex(ctx.concept.concept);
  const details = [
    ...q.actionField
      .filter((k) => !idx.fields.has(k))
      .map((k) => ({ path: 'querystring.actionField', message: `unknown action field "${k}"` })),
    ...q.measure
      .filter((m) => !idx.measures.has(m))
      .map((m) => ({ path: 'querystring.measure', message: `unknown measure "${m}"` })),
  ];
  if (details.length > 0)
    throw new AppError('VALIDATION_FAILED', details.map((d) => d.message).join('; '), { details });
  const targets = [...q.actionField, ...q.measure];
  const rows = ctx.dbh.db
    .select({ m: matches })
    .from(matches)
    .innerJoin(calls, eq(calls.id, matches.callId))
    .where(
      and(
        targets.length > 0 ? inArray(matches.target, targets) : undefined,
        gte(matches.score, q.minScore),
        ne(matches.eligibility, 'excluded'),
        inArray(calls.status, [...statuses]),
        isNull(calls.delistedAt),
      ),
    )
    .all();
  const best = new Map<string, (typeof rows)[number]['m']>();
  for (const { m } of rows) {
    const cur = best.get(m.callId);
    if (!cur || m.score > cur.score) best.set(m.callId, m);
  }
  const byId = new Map(getCalls(ctx.dbh.db, [...best.keys()]).map((c) => [c.id, c]));
  return [...best.values()].flatMap((m) => {
    const call = byId.get(m.callId);
    return call
      ? [
          {
            call,
            target: m.target,
            score: Math.round(m.score),
            eligibility: m.eligibility === 'eligible' ? ('eligible' as const) : ('unclear' as const),
            reason: m.reason,
            matchedAt: m.matchedAt,
          },
        ]
      : [];
  });
}
