import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { coverageFamiliesCsv, coverageMeasuresCsv } from '../../coverage/csv.ts';
import { coverageReport } from '../../coverage/report.ts';
import { type CsvDelimiter, csvDelimiters } from '../../feeds/csv.ts';
import { problemSchema } from '../problem.ts';

const figures = z.object({ count: z.number().int(), applied: z.number(), granted: z.number() });
const coverageOut = z
  .object({
    generatedAt: z.string(),
    threshold: z.number().describe('score a match needs to count as fitting (the ranked lists’ threshold)'),
    windowStart: z.string().describe('start of the 12 months a measure needs a fitting call in'),
    gaps: z.number().int().describe('measures without a fitting call in the last 12 months'),
    fields: z.array(z.object({ key: z.string(), number: z.number().int(), name: z.string() })),
    measures: z.array(
      z.object({
        measureId: z.string(),
        actionFieldKey: z.string(),
        actionFieldNumber: z.number().int(),
        number: z.number().int(),
        text: z.string(),
        gap: z.boolean(),
        fittingLast12Months: z.number().int(),
        openCalls: z.number().int(),
        best: z
          .object({
            callId: z.string(),
            title: z.string(),
            programme: z.string().nullable(),
            score: z.number(),
            eligibility: z.enum(['eligible', 'unclear']),
            status: z.string(),
            nextDeadline: z.object({ at: z.string(), timeZone: z.string() }).loose().nullable(),
          })
          .nullable(),
        nearestDeadline: z.object({ callId: z.string(), at: z.string(), timeZone: z.string() }).nullable(),
        budgetTotal: z.number(),
        budgetCalls: z.number().int(),
        pursuits: z.record(z.string(), figures),
      }),
    ),
    families: z.array(
      z.object({
        family: z.string(),
        calls: z.number().int(),
        fields: z.record(z.string(), z.number().int()),
      }),
    ),
  })
  .meta({ id: 'CoverageReport' });

const query = z.object({
  minScore: z.coerce
    .number()
    .min(0)
    .max(100)
    .optional()
    .describe('default: the active rules’ list threshold'),
});

/** `/api/coverage`: which measures have funding, which have none, and what the pipeline holds. */
export function coverageRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/coverage',
      {
        schema: {
          tags: ['coverage'],
          summary: 'Abdeckungsbericht / coverage report',
          description:
            'Per measure: open fitting calls, the best one, the nearest deadline, stated budgets, pursuits by status with amounts; funding gaps (no fitting call in 12 months) first. Per programme family: fitting calls per action field.',
          querystring: query,
          response: { 200: coverageOut, 400: problemSchema },
        },
      },
      async (req) =>
        coverageReport(ctx, {
          ...(req.query.minScore !== undefined ? { threshold: req.query.minScore } : {}),
        }),
    );
    app.get(
      '/api/coverage.csv',
      {
        schema: {
          tags: ['coverage'],
          summary: 'Abdeckungsbericht als CSV / coverage report as CSV',
          description:
            '`view=measures` (default): one row per measure; `view=families`: programme families × action fields.',
          querystring: query.extend({
            view: z.enum(['measures', 'families']).default('measures'),
            delimiter: z
              .enum(Object.keys(csvDelimiters) as [CsvDelimiter, ...CsvDelimiter[]])
              .default('semicolon'),
          }),
          response: { 200: z.string(), 400: problemSchema },
        },
      },
      async (req, reply) => {
        const r = coverageReport(ctx, {
          ...(req.query.minScore !== undefined ? { threshold: req.query.minScore } : {}),
        });
        const body =
          req.query.view === 'families'
            ? coverageFamiliesCsv(r, req.query.delimiter)
            : coverageMeasuresCsv(r, req.query.delimiter);
        return reply
          .type('text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="foerdermatch-abdeckung-${req.query.view}-${r.generatedAt.slice(0, 10)}.csv"`,
          )
          .send(body);
      },
    );
  };
}
