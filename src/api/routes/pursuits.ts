import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { languages, pursuitStatuses } from '../../domain/enums.ts';
import { type CsvDelimiter, csvDelimiters } from '../../feeds/csv.ts';
import { createPursuit } from '../../pursuits/create.ts';
import { pursuitsCsv } from '../../pursuits/csv.ts';
import { getPursuitDetail } from '../../pursuits/get.ts';
import { listPursuits, pursuitQuerySchema } from '../../pursuits/list.ts';
import {
  createPursuitSchema,
  movePursuitSchema,
  noteSchema,
  updatePursuitSchema,
} from '../../pursuits/model.ts';
import { movePursuit } from '../../pursuits/move.ts';
import { addNote } from '../../pursuits/note.ts';
import { removePursuit } from '../../pursuits/remove.ts';
import { markAlertsSeen } from '../../pursuits/seen.ts';
import { legalMoves } from '../../pursuits/status.ts';
import { updatePursuit } from '../../pursuits/update.ts';
import { partnerChoices } from '../../pursuits/validate.ts';
import { problemSchema } from '../problem.ts';

const deadline = z.object({
  at: z.string(),
  timeZone: z.string(),
  raw: z.string(),
  stage: z.string(),
  label: z.string().optional(),
});

const pursuitOut = z
  .object({
    id: z.number().int(),
    call: z.object({
      id: z.string(),
      title: z.string(),
      programme: z.string().nullable(),
      url: z.string().nullable(),
      status: z.string(),
      nextDeadline: deadline.nullable(),
    }),
    measures: z.array(z.string()),
    owner: z.object({
      tokenId: z.number().int(),
      name: z.string(),
      email: z.string(),
      language: z.enum(languages),
    }),
    status: z.enum(pursuitStatuses),
    amountApplied: z.number().nullable(),
    amountGranted: z.number().nullable(),
    partners: z.array(z.string()),
    partnersText: z.string().nullable(),
    deadlineMissed: z.boolean().describe('the call’s deadline passed before the pursuit was submitted'),
    unseenAlerts: z.number().int().describe('changes of the call the owner has not marked seen'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Pursuit' });

const noteOut = z.object({
  id: z.number().int(),
  author: z.string(),
  authorTokenId: z.number().int().nullable(),
  at: z.string(),
  text: z.string(),
});

const detailOut = pursuitOut
  .extend({
    allowedMoves: z.array(z.enum(pursuitStatuses)),
    notes: z.array(noteOut),
    history: z.array(
      z.object({ at: z.string(), actor: z.string(), field: z.string(), from: z.unknown(), to: z.unknown() }),
    ),
    alerts: z.array(
      z.object({
        id: z.number().int(),
        at: z.string(),
        changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
        seenAt: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'PursuitDetail' });

const idParams = z.object({ id: z.coerce.number().int().min(1) });
const errors = { 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };
const tags = ['pursuits'];
/** Every token reads and creates; the services let only the owner and admins change a pursuit. */
const config = { role: 'reader' } as const;

/** `/api/pursuits`: the funding pipeline from a fitting call to a grant. */
export function pursuitRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const detail = (id: number) => {
      const d = getPursuitDetail(ctx, id);
      return { ...d, allowedMoves: [...legalMoves[d.status]] };
    };

    app.get(
      '/api/pursuits',
      {
        config,
        schema: {
          tags,
          summary: 'Vorhaben / pursuits',
          description:
            'Filters by owner (token id or "me"), status, measure and the call’s next deadline; soonest deadline first.',
          querystring: pursuitQuerySchema,
          response: { 200: z.object({ items: z.array(pursuitOut) }), 400: problemSchema },
        },
      },
      async (req) => ({ items: listPursuits(ctx, req.query, { tokenId: req.principal!.id }) }),
    );

    app.get(
      '/api/pursuits.csv',
      {
        config,
        schema: {
          tags,
          summary: 'Vorhaben als CSV / pursuits as CSV',
          querystring: pursuitQuerySchema.extend({
            delimiter: z
              .enum(Object.keys(csvDelimiters) as [CsvDelimiter, ...CsvDelimiter[]])
              .default('semicolon'),
          }),
          response: { 200: z.string(), 400: problemSchema },
        },
      },
      async (req, reply) => {
        const { delimiter, ...filter } = req.query;
        const items = listPursuits(ctx, filter, { tokenId: req.principal!.id });
        return reply
          .type('text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="foerdermatch-vorhaben-${new Date().toISOString().slice(0, 10)}.csv"`,
          )
          .send(pursuitsCsv(items, { apiBase: ctx.config.publicBaseUrl, delimiter }));
      },
    );

    app.get(
      '/api/pursuits/partners',
      {
        config,
        schema: {
          tags,
          summary: 'Partnerauswahl / partner choices',
          description: 'The concept’s partner cities and networks; others go into partnersText.',
          response: { 200: z.object({ cities: z.array(z.string()), networks: z.array(z.string()) }) },
        },
      },
      async () => partnerChoices(ctx),
    );

    app.post(
      '/api/pursuits',
      {
        config,
        schema: {
          tags,
          summary: 'Aufruf ins Vorhaben nehmen / take a call into the pipeline',
          body: createPursuitSchema,
          response: { 201: detailOut, ...errors },
        },
      },
      async (req, reply) => {
        const p = createPursuit(ctx, req.principal!, req.body);
        return reply.status(201).send(detail(p.id));
      },
    );

    app.get(
      '/api/pursuits/:id',
      {
        config,
        schema: {
          tags,
          summary: 'Ein Vorhaben / one pursuit',
          params: idParams,
          response: { 200: detailOut, ...errors },
        },
      },
      async (req) => detail(req.params.id),
    );

    app.patch(
      '/api/pursuits/:id',
      {
        config,
        schema: {
          tags,
          summary: 'Vorhaben ändern / change a pursuit (owner or admin)',
          params: idParams,
          body: updatePursuitSchema,
          response: { 200: detailOut, ...errors },
        },
      },
      async (req) => {
        updatePursuit(ctx, req.principal!, req.params.id, req.body);
        return detail(req.params.id);
      },
    );

    app.post(
      '/api/pursuits/:id/status',
      {
        config,
        schema: {
          tags,
          summary: 'Status wechseln / move the status (owner or admin)',
          description: 'Only legal moves (see allowedMoves); an illegal one is 409.',
          params: idParams,
          body: movePursuitSchema,
          response: { 200: detailOut, ...errors },
        },
      },
      async (req) => {
        movePursuit(ctx, req.principal!, req.params.id, req.body);
        return detail(req.params.id);
      },
    );

    app.post(
      '/api/pursuits/:id/notes',
      {
        config,
        schema: {
          tags,
          summary: 'Notiz hinzufügen / add a note (owner or admin)',
          params: idParams,
          body: noteSchema,
          response: { 201: noteOut, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(addNote(ctx, req.principal!, req.params.id, req.body)),
    );

    app.post(
      '/api/pursuits/:id/alerts/seen',
      {
        config,
        schema: {
          tags,
          summary: 'Änderungen als gesehen markieren / mark the call’s changes seen (owner or admin)',
          params: idParams,
          response: { 200: z.object({ marked: z.number().int() }), ...errors },
        },
      },
      async (req) => ({ marked: markAlertsSeen(ctx, req.principal!, req.params.id) }),
    );

    app.delete(
      '/api/pursuits/:id',
      {
        config,
        schema: {
          tags,
          summary: 'Vorhaben löschen / delete a pursuit made by mistake (owner or admin)',
          description:
            'The record is kept in the audit log; a pursuit given up is moved to "verworfen" instead.',
          params: idParams,
          response: { 204: z.null(), ...errors },
        },
      },
      async (req, reply) => {
        removePursuit(ctx, req.principal!, req.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
