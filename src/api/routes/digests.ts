import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit } from '../../auth/tokens.ts';
import type { AppContext } from '../../context.ts';
import { listDigests, requeue } from '../../digest/outbox.ts';
import { digestStates } from '../../domain/enums.ts';
import { numericId, wholeNumber } from '../../domain/numbers.ts';
import { AppError } from '../../errors.ts';
import { problemSchema } from '../problem.ts';

const digestOut = z
  .object({
    id: z.number().int(),
    subscriberId: z.number().int(),
    subscriberName: z.string(),
    email: z.string(),
    period: z.string(),
    state: z.enum(digestStates),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    messageId: z.string(),
    subject: z.string().nullable(),
    itemCount: z.number().int(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
    smtpResponse: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
  })
  .meta({ id: 'Digest' });

/** The outbox for admins: what was sent, what failed and why, and a requeue for failed mails. */
export function digestRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/digests',
      {
        config: { role: 'admin' },
        schema: {
          tags: ['digest'],
          summary: 'Postausgang des Digests / the digest outbox (newest first)',
          querystring: z.object({
            state: z.enum(digestStates).optional(),
            limit: wholeNumber(1, 500).default(100),
          }),
          response: { 200: z.object({ items: z.array(digestOut) }) },
        },
      },
      async (req) => ({
        items: listDigests(ctx.dbh.db, {
          ...(req.query.state ? { state: req.query.state } : {}),
          limit: req.query.limit,
        }),
      }),
    );
    app.post(
      '/api/digests/:id/retry',
      {
        config: { role: 'admin' },
        schema: {
          tags: ['digest'],
          summary: 'Fehlgeschlagenen Digest erneut einreihen / requeue a failed digest',
          params: z.object({ id: numericId }),
          response: {
            200: z.object({ id: z.number().int(), state: z.enum(digestStates) }),
            409: problemSchema,
          },
        },
      },
      async (req) => {
        const row = requeue(ctx.dbh.db, req.params.id);
        if (!row)
          throw new AppError('CONFLICT', `Digest ${req.params.id} does not exist or is not failed/skipped.`);
        audit(ctx.dbh.db, {
          actor: req.principal?.name ?? 'unknown',
          action: 'digest.requeue',
          target: String(row.id),
        });
        return { id: row.id, state: row.state };
      },
    );
  };
}
