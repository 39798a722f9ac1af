import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callHref, deadlineView, shownDeadline } from '../../calls/view.ts';
import { conceptIndex } from '../../concept/load.ts';
import type { AppContext } from '../../context.ts';
import { callStatuses, eligibilities, sourceIds, verdicts } from '../../domain/enums.ts';
import { wholeNumber } from '../../domain/numbers.ts';
import { AppError } from '../../errors.ts';
import { listFeedback, saveFeedback } from '../../matches/feedback.ts';
import { listTargetMatches, type TargetMatchItem, targetMatchesQuerySchema } from '../../matches/list.ts';
import { problemSchema } from '../problem.ts';
import { budgetOut, deadlineOut } from '../schemas.ts';
import { fastSerializerCompiler } from '../serialize.ts';

const rankedCallOut = z
  .object({
    callId: z.string(),
    title: z.string(),
    source: z.enum(sourceIds),
    programme: z.string().nullable(),
    identifier: z.string().nullable(),
    url: z.string().nullable(),
    status: z.enum(callStatuses),
    score: z.number().describe('0–100'),
    eligibility: z.enum(eligibilities),
    reason: z.string().describe('one line, German'),
    reasonEn: z.string().nullable(),
    deadline: deadlineOut.nullable(),
    fundingRate: z.number().nullable(),
    budget: budgetOut.nullable(),
    ruleVersion: z.number().int(),
    myVerdict: z.enum(['relevant']).nullable(),
    href: z.string(),
    why: z.string(),
  })
  .meta({ id: 'RankedCall' });

const rankedListOut = z.object({
  target: z.object({ kind: z.enum(['action-field', 'measure']), key: z.string(), name: z.string() }),
  items: z.array(rankedCallOut),
  next: z.string().nullable(),
});

const feedbackOut = z
  .object({
    id: z.number().int(),
    callId: z.string(),
    target: z.string(),
    tokenId: z.number().int(),
    tokenName: z.string(),
    verdict: z.enum(verdicts),
    comment: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Feedback' });

export const whyHref = (callId: string, target: string) =>
  `/api/matches/${encodeURIComponent(callId)}/${encodeURIComponent(target)}/why`;

function rankedView(i: TargetMatchItem, now: number) {
  const d = shownDeadline(i.call, now);
  return {
    callId: i.call.id,
    title: i.call.title,
    source: i.call.source,
    programme: i.call.programme,
    identifier: i.call.identifier,
    url: i.call.url,
    status: i.status,
    score: i.match.score,
    eligibility: i.match.eligibility,
    reason: i.match.reason,
    reasonEn: i.match.reasonEn || null,
    deadline: d ? deadlineView(d, now) : null,
    fundingRate: i.call.fundingRate,
    budget: i.call.budget,
    ruleVersion: i.match.ruleVersion,
    myVerdict: i.myVerdict,
    href: callHref(i.call.id),
    why: whyHref(i.call.id, i.match.target),
  };
}

export function matchRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const index = conceptIndex(ctx.concept.concept);

  return async (app) => {
    const listFor = (kind: 'action-field' | 'measure') => ({
      // Per token: feedback hides calls from the lists of whoever gave it.
      config: { cache: 'per-token' as const },
      serializerCompiler: fastSerializerCompiler,
      schema: {
        tags: ['matches'],
        summary:
          kind === 'measure'
            ? 'Passende Calls für eine Maßnahme / ranked calls for a measure'
            : 'Passende Calls für ein Handlungsfeld / ranked calls for an action field',
        description:
          'Eligible calls first, then those whose eligibility is unclear, each by score; calls you marked "not relevant" are hidden. Default status filter: open, forthcoming, open-ended.',
        security: [{ bearer: [] }],
        querystring: targetMatchesQuerySchema,
        response: { 200: rankedListOut, 400: problemSchema, 404: problemSchema },
      },
    });

    const respond = (
      kind: 'action-field' | 'measure',
      key: string,
      name: string,
      query: z.infer<typeof targetMatchesQuerySchema>,
      tokenId: number,
      path: string,
    ) => {
      const now = Date.now();
      const result = listTargetMatches(ctx, key, query, { tokenId }, new Date(now));
      let next: string | null = null;
      if (result.next) {
        const params = new URLSearchParams();
        for (const [k, v] of Object.entries(query))
          if (v !== undefined && k !== 'cursor') params.set(k, String(v));
        params.set('cursor', result.next);
        next = `${path}?${params}`;
      }
      return { target: { kind, key, name }, items: result.items.map((i) => rankedView(i, now)), next };
    };

    app.get(
      '/api/measures/:id/matches',
      {
        ...listFor('measure'),
        schema: { ...listFor('measure').schema, params: z.object({ id: z.string().max(100) }) },
      },
      async (req) => {
        const m = index.measures.get(req.params.id);
        if (!m)
          throw new AppError('NOT_FOUND', `Maßnahme "${req.params.id}" gibt es nicht / no such measure.`);
        return respond('measure', m.id, m.text, req.query, req.principal!.id, req.url.split('?')[0]!);
      },
    );

    app.get(
      '/api/action-fields/:key/matches',
      {
        ...listFor('action-field'),
        schema: { ...listFor('action-field').schema, params: z.object({ key: z.string().max(100) }) },
      },
      async (req) => {
        const f = index.fields.get(req.params.key);
        if (!f)
          throw new AppError('NOT_FOUND', `Handlungsfeld "${req.params.key}" gibt es nicht / no such field.`);
        return respond('action-field', f.key, f.name, req.query, req.principal!.id, req.url.split('?')[0]!);
      },
    );

    app.post(
      '/api/matches/:callId/:target/feedback',
      {
        schema: {
          tags: ['feedback'],
          summary: 'Rückmeldung zu einem Treffer / feedback on a match',
          description:
            'One verdict per token and (call, target); sending again changes it. A call marked not_relevant drops out of your lists for that target.',
          security: [{ bearer: [] }],
          params: z.object({ callId: z.string().min(1).max(300), target: z.string().min(1).max(100) }),
          body: z.object({
            verdict: z.enum(verdicts),
            comment: z.string().max(2000).optional(),
          }),
          response: { 200: feedbackOut, 201: feedbackOut, 400: problemSchema, 404: problemSchema },
        },
      },
      async (req, reply) => {
        const { feedback, created } = saveFeedback(ctx, req.principal!, {
          callId: req.params.callId,
          target: req.params.target,
          verdict: req.body.verdict,
          comment: req.body.comment,
        });
        return reply.status(created ? 201 : 200).send(feedback);
      },
    );

    app.get(
      '/api/feedback',
      {
        config: { role: 'admin' },
        schema: {
          tags: ['feedback'],
          summary: 'Rückmeldungen je Ziel / feedback per target (admin)',
          security: [{ bearer: [] }],
          querystring: z.object({
            target: z.string().max(100).optional().describe('action field key or measure id'),
            verdict: z.enum(verdicts).optional(),
            limit: wholeNumber(1, 1000).optional(),
          }),
          response: { 200: z.object({ items: z.array(feedbackOut) }), 400: problemSchema },
        },
      },
      async (req) => {
        const { target, verdict, limit } = req.query;
        if (target && !index.fields.has(target) && !index.measures.has(target)) {
          throw new AppError('VALIDATION_FAILED', `Unknown target "${target}"`, {
            details: [{ path: 'querystring.target', message: 'neither an action field nor a measure' }],
          });
        }
        return { items: listFeedback(ctx, { target, verdict, limit: limit ?? 200 }) };
      },
    );
  };
}
