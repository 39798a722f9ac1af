import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit } from '../../auth/tokens.ts';
import type { AppContext } from '../../context.ts';
import {
  createSubscriber,
  getSubscriber,
  listSubscribers,
  publicSubscriber,
  removeSubscriber,
  subscriberInputSchema,
  subscriberPatchSchema,
  updateSubscriber,
} from '../../digest/subscribers.ts';
import { cadences, languages } from '../../domain/enums.ts';
import { numericId } from '../../domain/numbers.ts';
import { AppError } from '../../errors.ts';
import { problemSchema } from '../problem.ts';

const subscriberOut = z
  .object({
    id: z.number().int(),
    name: z.string(),
    email: z.string(),
    language: z.enum(languages),
    actionFields: z.array(z.string()),
    measures: z.array(z.string()),
    minScore: z.number(),
    cadence: z.enum(cadences),
    active: z.boolean(),
    createdAt: z.string(),
    unsubscribedAt: z.string().nullable(),
  })
  .meta({ id: 'Subscriber' });

const idParams = z.object({ id: numericId });
const errors = { 400: problemSchema, 404: problemSchema, 409: problemSchema };

/** Admin CRUD for digest subscribers; action fields and measures are checked against the concept. */
export function subscriberRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const actor = (req: { principal?: { name: string } }) => req.principal?.name ?? 'unknown';
  return async (app) => {
    const tags = ['digest'];
    app.get(
      '/api/subscribers',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Empfänger des Digests / digest subscribers',
          response: { 200: z.object({ items: z.array(subscriberOut) }) },
        },
      },
      async () => ({ items: listSubscribers(ctx).map(publicSubscriber) }),
    );
    app.post(
      '/api/subscribers',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Empfänger anlegen / add a subscriber',
          body: subscriberInputSchema,
          response: { 201: subscriberOut, ...errors },
        },
      },
      async (req, reply) => {
        const s = createSubscriber(ctx, req.body);
        audit(ctx.dbh.db, {
          actor: actor(req),
          action: 'subscriber.create',
          target: String(s.id),
          details: { email: s.email },
        });
        return reply.status(201).send(publicSubscriber(s));
      },
    );
    app.get(
      '/api/subscribers/:id',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Ein Empfänger / one subscriber',
          params: idParams,
          response: { 200: subscriberOut, ...errors },
        },
      },
      async (req) => {
        const s = getSubscriber(ctx, req.params.id);
        if (!s) throw new AppError('NOT_FOUND', `No subscriber with id ${req.params.id}.`);
        return publicSubscriber(s);
      },
    );
    app.patch(
      '/api/subscribers/:id',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Empfänger ändern / change a subscriber',
          params: idParams,
          body: subscriberPatchSchema,
          response: { 200: subscriberOut, ...errors },
        },
      },
      async (req) => {
        const s = updateSubscriber(ctx, req.params.id, req.body);
        audit(ctx.dbh.db, {
          actor: actor(req),
          action: 'subscriber.update',
          target: String(s.id),
          details: req.body,
        });
        return publicSubscriber(s);
      },
    );
    app.delete(
      '/api/subscribers/:id',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Empfänger löschen / remove a subscriber',
          params: idParams,
          response: { 204: z.null(), ...errors },
        },
      },
      async (req, reply) => {
        const s = removeSubscriber(ctx, req.params.id);
        audit(ctx.dbh.db, {
          actor: actor(req),
          action: 'subscriber.delete',
          target: String(s.id),
          details: { email: s.email },
        });
        return reply.status(204).send(null);
      },
    );
  };
}
