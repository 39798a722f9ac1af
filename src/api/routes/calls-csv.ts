import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callQuerySchema, queryCalls } from '../../calls/query.ts';
import type { AppContext } from '../../context.ts';
import { type CsvDelimiter, callsCsv, csvDelimiters } from '../../feeds/csv.ts';
import { problemSchema } from '../problem.ts';

/** Rows of one export; the list API pages by 100, an export takes the whole filtered list. */
export const CSV_MAX_ROWS = 50_000;

const csvQuerySchema = callQuerySchema.omit({ cursor: true, limit: true }).extend({
  delimiter: z
    .enum(Object.keys(csvDelimiters) as [CsvDelimiter, ...CsvDelimiter[]])
    .default('semicolon')
    .describe('semicolon (German Excel, default) or comma'),
});

/** `GET /api/calls.csv`: the calls list with the filters of `GET /api/calls`, as a spreadsheet. */
export function callsCsvRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/calls.csv',
      {
        schema: {
          tags: ['calls'],
          summary: 'Calls als CSV für Excel / the calls list as CSV for Excel',
          description:
            'Same filters and order as GET /api/calls, all rows (no pages). UTF-8 with BOM, semicolon-separated by default, CRLF.',
          querystring: csvQuerySchema,
          response: { 200: z.string(), 400: problemSchema },
        },
      },
      async (req, reply) => {
        const { delimiter, ...filters } = req.query;
        const now = new Date();
        const result = queryCalls(ctx, { ...filters, limit: CSV_MAX_ROWS }, { now, maxLimit: CSV_MAX_ROWS });
        const stamp = now.toISOString().slice(0, 10);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="foerdermatch-calls-${stamp}.csv"`)
          .send(callsCsv(result.items, { apiBase: ctx.config.publicBaseUrl, now, delimiter }));
      },
    );
  };
}
