import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { crawlOutcomes, sourceIds } from '../../domain/enums.ts';
import { listCrawlRuns, sourceHealth } from '../../sources/status.ts';
import { problemSchema } from '../problem.ts';

const crawlRunOut = z
  .object({
    id: z.number().int(),
    source: z.string(),
    trigger: z.string(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    outcome: z.enum(crawlOutcomes),
    fetched: z.number().int(),
    newCount: z.number().int(),
    changedCount: z.number().int(),
    unchangedCount: z.number().int(),
    delistedCount: z.number().int(),
    errorCount: z.number().int(),
    errors: z
      .array(z.object({ kind: z.string(), url: z.string().optional(), message: z.string() }))
      .nullable(),
  })
  .meta({ id: 'CrawlRun' });

const sourceOut = z
  .object({
    id: z.string(),
    name: z.string(),
    enabled: z.boolean(),
    crawlable: z.boolean(),
    lastRun: crawlRunOut.nullable(),
    lastGoodRun: crawlRunOut.nullable(),
    lastGoodAgeHours: z.number().nullable(),
    errorStreak: z.number().int().describe('failed or blocked runs since the last good one'),
    stale: z.boolean(),
    nextScheduledRun: z.string().nullable(),
    callCount: z.number().int(),
  })
  .meta({ id: 'Source' });

export function sourceRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/crawl-runs',
      {
        config: { role: 'admin' },
        schema: {
          tags: ['sources'],
          summary: 'Abrufläufe, neueste zuerst / crawl runs, newest first (admin)',
          security: [{ bearer: [] }],
          querystring: z.object({
            source: z.enum(sourceIds).optional(),
            before: z.coerce.number().int().min(1).optional().describe('runs with a smaller id (next page)'),
            limit: z.coerce.number().int().min(1).max(200).optional(),
          }),
          response: {
            200: z.object({ items: z.array(crawlRunOut), next: z.string().nullable() }),
            400: problemSchema,
          },
        },
      },
      async (req) => {
        const limit = req.query.limit ?? 50;
        const items = listCrawlRuns(ctx, { source: req.query.source, before: req.query.before, limit });
        const last = items.at(-1);
        const params = new URLSearchParams();
        if (req.query.source) params.set('source', req.query.source);
        params.set('limit', String(limit));
        if (last) params.set('before', String(last.id));
        return { items, next: items.length === limit && last ? `/api/crawl-runs?${params}` : null };
      },
    );

    app.get(
      '/api/sources',
      {
        config: { role: 'admin' },
        schema: {
          tags: ['sources'],
          summary: 'Quellen mit Zustand / sources with their health (admin)',
          security: [{ bearer: [] }],
          response: { 200: z.object({ items: z.array(sourceOut) }) },
        },
      },
      async () => ({ items: sourceHealth(ctx) }),
    );
  };
}
