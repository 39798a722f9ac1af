import { z } from 'zod';
import { conceptIndex } from '../concept/load.ts';
import type { AppContext } from '../context.ts';
import { pursuitStatuses } from '../domain/enums.ts';
import { berlin, startOfDay } from '../domain/time.ts';
import { AppError } from '../errors.ts';
import type { Pursuit } from './model.ts';
import { readPursuits } from './read.ts';

const statusList = z
  .string()
  .max(200)
  .transform((v) => v.split(',').map((s) => s.trim()))
  .pipe(z.array(z.enum(pursuitStatuses)));

/** The filter as a query string sends it (the API documents this one); parsed by `listPursuits`. */
export const pursuitQuerySchema = z.object({
  owner: z.string().max(20).optional().describe('a token id, or "me"'),
  status: z.string().max(200).optional().describe('one or more statuses, separated by commas'),
  measure: z.string().max(100).optional(),
  deadlineFrom: z.iso
    .date()
    .optional()
    .describe("the call's next deadline on or after this Europe/Berlin day"),
  deadlineTo: z.iso
    .date()
    .optional()
    .describe("the call's next deadline on or before this Europe/Berlin day"),
  deadlineMissed: z.enum(['true', 'false']).optional(),
});

const pursuitFilterSchema = z.object({
  owner: z
    .union([z.literal('me'), z.coerce.number().int().min(1)])
    .optional()
    .describe('a token id, or "me"'),
  status: statusList.optional().describe('one or more statuses, separated by commas'),
  measure: z.string().max(100).optional(),
  deadlineFrom: z.iso
    .date()
    .optional()
    .describe("the call's next deadline on or after this Europe/Berlin day"),
  deadlineTo: z.iso
    .date()
    .optional()
    .describe("the call's next deadline on or before this Europe/Berlin day"),
  deadlineMissed: z.enum(['true', 'false']).optional(),
});
export type PursuitFilter = z.input<typeof pursuitQuerySchema>;

/**
 * Pursuits by owner, status, measure and the call's next deadline, soonest deadline first
 * (pursuits of calls without a deadline last). `owner: 'me'` needs the viewer's token id.
 */
export function listPursuits(
  ctx: AppContext,
  raw: PursuitFilter,
  viewer: { tokenId: number } | undefined,
  now = new Date(),
): Pursuit[] {
  const parsed = pursuitFilterSchema.safeParse(raw);
  if (!parsed.success)
    throw new AppError('VALIDATION_FAILED', 'Ungültiger Filter / invalid filter', {
      details: parsed.error.issues.map((i) => ({
        path: `querystring.${i.path.join('.')}`,
        message: i.message,
      })),
    });
  const f = parsed.data;
  if (f.measure && !conceptIndex(ctx.concept.concept).measures.has(f.measure))
    throw new AppError('VALIDATION_FAILED', `unknown measure "${f.measure}"`, {
      details: [{ path: 'querystring.measure', message: `unknown measure "${f.measure}"` }],
    });
  const where: string[] = ['1 = 1'];
  const args: unknown[] = [];
  if (f.owner !== undefined) {
    const owner = f.owner === 'me' ? viewer?.tokenId : f.owner;
    if (owner === undefined) throw new AppError('VALIDATION_FAILED', '"owner=me" needs a token');
    where.push('p.owner_token_id = ?');
    args.push(owner);
  }
  if (f.status) {
    where.push('p.status in (select value from json_each(?))');
    args.push(JSON.stringify(f.status));
  }
  if (f.measure) {
    where.push('exists (select 1 from pursuit_measures m where m.pursuit_id = p.id and m.measure_id = ?)');
    args.push(f.measure);
  }
  let items = readPursuits(
    ctx,
    where.join(' and '),
    [...args, now.toISOString(), now.toISOString()],
    now,
    // The call's next deadline ahead, else its last; none last.
    `(select coalesce(min(case when d.at >= ? then d.at end), max(d.at)) from call_deadlines d where d.call_id = p.call_id) is null,
     (select coalesce(min(case when d.at >= ? then d.at end), max(d.at)) from call_deadlines d where d.call_id = p.call_id), p.id`,
  );
  const from = f.deadlineFrom ? startOfDay(f.deadlineFrom, berlin) : null;
  const to = f.deadlineTo ? startOfDay(f.deadlineTo, berlin) + 86_400_000 - 1 : null;
  if (from !== null || to !== null)
    items = items.filter((p) => {
      const at = p.call.nextDeadline ? Date.parse(p.call.nextDeadline.at) : null;
      return at !== null && (from ?? -Infinity) <= at && at <= (to ?? Infinity);
    });
  if (f.deadlineMissed) items = items.filter((p) => p.deadlineMissed === (f.deadlineMissed === 'true'));
  return items;
}
