import { audit, type TokenPrincipal } from '../auth/tokens.ts';
import { conceptIndex } from '../concept/load.ts';
import type { AppContext } from '../context.ts';
import type { Verdict } from '../domain/enums.ts';
import { AppError } from '../errors.ts';

export interface FeedbackRow {
  id: number;
  callId: string;
  target: string;
  tokenId: number;
  tokenName: string;
  verdict: Verdict;
  comment: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Throws NOT_FOUND unless the call exists and the target is an action field key or measure id. */
export function assertPair(ctx: AppContext, callId: string, target: string): 'action-field' | 'measure' {
  const exists = ctx.dbh.sqlite.prepare('select 1 from calls where id = ?').get(callId);
  if (!exists) throw new AppError('NOT_FOUND', `Call "${callId}" gibt es nicht / does not exist.`);
  const index = conceptIndex(ctx.concept.concept);
  if (index.fields.has(target)) return 'action-field';
  if (index.measures.has(target)) return 'measure';
  throw new AppError(
    'NOT_FOUND',
    `"${target}" ist weder Handlungsfeld noch Maßnahme / is neither an action field nor a measure.`,
  );
}

const columns = `f.id, f.call_id as callId, f.target, f.token_id as tokenId, t.name as tokenName, f.verdict,
  f.comment, f.created_at as createdAt, f.updated_at as updatedAt`;

/**
 * Records one token's verdict on a (call, target) pair; a second verdict replaces the first.
 * Audited. Returns the row and whether it was new.
 */
export function saveFeedback(
  ctx: AppContext,
  who: TokenPrincipal,
  input: { callId: string; target: string; verdict: Verdict; comment?: string | undefined },
  now = new Date(),
): { feedback: FeedbackRow; created: boolean } {
  assertPair(ctx, input.callId, input.target);
  const at = now.toISOString();
  const { sqlite } = ctx.dbh;
  return sqlite.transaction(() => {
    const before = sqlite
      .prepare('select id, verdict from feedback where call_id = ? and target = ? and token_id = ?')
      .get(input.callId, input.target, who.id) as { id: number; verdict: Verdict } | undefined;
    sqlite
      .prepare(
        `insert into feedback (call_id, target, token_id, verdict, comment, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?)
         on conflict (call_id, target, token_id) do update set
           verdict = excluded.verdict, comment = excluded.comment, updated_at = excluded.updated_at`,
      )
      .run(input.callId, input.target, who.id, input.verdict, input.comment ?? null, at, at);
    audit(
      ctx.dbh.db,
      {
        actor: `token:${who.id}:${who.name}`,
        action: before ? 'feedback.change' : 'feedback.create',
        target: `${input.callId}|${input.target}`,
        details: {
          verdict: input.verdict,
          previous: before?.verdict ?? null,
          comment: input.comment ?? null,
        },
      },
      now,
    );
    const feedback = sqlite
      .prepare(
        `select ${columns} from feedback f join api_tokens t on t.id = f.token_id
         where f.call_id = ? and f.target = ? and f.token_id = ?`,
      )
      .get(input.callId, input.target, who.id) as FeedbackRow;
    return { feedback, created: !before };
  })();
}

/** Feedback of all tokens, newest first; optionally for one target and/or verdict. */
export function listFeedback(
  ctx: AppContext,
  filter: { target?: string | undefined; verdict?: Verdict | undefined; limit: number },
): FeedbackRow[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (filter.target) {
    where.push('f.target = ?');
    args.push(filter.target);
  }
  if (filter.verdict) {
    where.push('f.verdict = ?');
    args.push(filter.verdict);
  }
  return ctx.dbh.sqlite
    .prepare(
      `select ${columns} from feedback f join api_tokens t on t.id = f.token_id
       ${where.length ? `where ${where.join(' and ')}` : ''} order by f.updated_at desc, f.id desc limit ?`,
    )
    .all(...args, filter.limit) as FeedbackRow[];
}
