import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { conceptIndex } from '../../concept/load.ts';
import type { AppContext } from '../../context.ts';
import { goalPotentials } from '../../domain/enums.ts';
import { AppError } from '../../errors.ts';
import { problemSchema } from '../problem.ts';

const measureOut = z
  .object({ id: z.string(), actionField: z.string(), number: z.number().int(), text: z.string() })
  .meta({ id: 'Measure' });

const fieldSummary = z
  .object({
    key: z.string(),
    number: z.number().int(),
    name: z.string(),
    description: z.string(),
    goalPotential: z.record(z.string(), z.enum(goalPotentials)),
    measureCount: z.number().int(),
  })
  .meta({ id: 'ActionFieldSummary' });

const fieldDetail = fieldSummary
  .extend({ goalReference: z.string(), measures: z.array(measureOut) })
  .meta({ id: 'ActionField' });

/** Read-only concept endpoints (German texts as in the paper). */
export function conceptRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { concept } = ctx.concept;
  const index = conceptIndex(concept);
  const measureDto = (fieldKey: string, m: { id: string; number: number; text: string }) => ({
    id: m.id,
    actionField: fieldKey,
    number: m.number,
    text: m.text,
  });
  const summary = (f: (typeof concept.actionFields)[number]) => ({
    key: f.key,
    number: f.number,
    name: f.name,
    description: f.description,
    goalPotential: f.goalPotential,
    measureCount: f.measures.length,
  });

  return async (app) => {
    app.get(
      '/api/action-fields',
      {
        schema: {
          tags: ['concept'],
          summary: 'Die Handlungsfelder des Konzepts / the action fields of the concept',
          response: { 200: z.object({ items: z.array(fieldSummary) }) },
        },
      },
      async () => ({ items: concept.actionFields.map(summary) }),
    );

    app.get(
      '/api/action-fields/:key',
      {
        schema: {
          tags: ['concept'],
          summary: 'Ein Handlungsfeld mit seinen Maßnahmen / one action field with its measures',
          params: z.object({ key: z.string().max(100) }),
          response: { 200: fieldDetail, 404: problemSchema },
        },
      },
      async (req) => {
        const f = index.fields.get(req.params.key);
        if (!f) throw new AppError('NOT_FOUND', `Handlungsfeld "${req.params.key}" gibt es nicht.`);
        return {
          ...summary(f),
          goalReference: f.goalReference,
          measures: f.measures.map((m) => measureDto(f.key, m)),
        };
      },
    );

    app.get(
      '/api/measures/:id',
      {
        schema: {
          tags: ['concept'],
          summary: 'Eine Maßnahme / one measure',
          params: z.object({ id: z.string().max(100) }),
          response: { 200: measureOut.extend({ actionFieldName: z.string() }), 404: problemSchema },
        },
      },
      async (req) => {
        const m = index.measures.get(req.params.id);
        if (!m) throw new AppError('NOT_FOUND', `Maßnahme "${req.params.id}" gibt es nicht.`);
        return {
          ...measureDto(m.actionFieldKey, m),
          actionFieldName: index.fields.get(m.actionFieldKey)!.name,
        };
      },
    );
  };
}
