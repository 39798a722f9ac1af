import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { sourceHealth } from '../../sources/status.ts';

const sourceAge = z.object({
  id: z.string(),
  lastGoodCrawlAt: z.string().nullable(),
  ageHours: z.number().nullable().describe('hours since the last successful crawl'),
  stale: z.boolean(),
});

export function healthRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/health',
      {
        config: { public: true, probe: true },
        schema: {
          tags: ['system'],
          summary: 'Liveness: the process answers',
          response: { 200: z.object({ status: z.literal('ok') }) },
        },
      },
      async () => ({ status: 'ok' as const }),
    );
    app.get(
      '/ready',
      {
        config: { public: true, probe: true },
        schema: {
          tags: ['system'],
          summary: 'Readiness: the database answers; age of each source’s last successful crawl',
          response: {
            200: z.object({
              status: z.literal('ready'),
              database: z.literal('ok'),
              sources: z.array(sourceAge),
            }),
            503: z.object({ status: z.literal('unavailable'), database: z.string() }),
          },
        },
      },
      async (_req, reply) => {
        try {
          ctx.dbh.sqlite.prepare('select 1').get();
          // Stale sources do not make the service unready: the data is still served, only older.
          const sources = sourceHealth(ctx, new Date(), { schedule: false })
            .filter((s) => s.crawlable)
            .map((s) => ({
              id: s.id,
              lastGoodCrawlAt: s.lastGoodRun ? (s.lastGoodRun.finishedAt ?? s.lastGoodRun.startedAt) : null,
              ageHours: s.lastGoodAgeHours,
              stale: s.stale,
            }));
          return { status: 'ready' as const, database: 'ok' as const, sources };
        } catch (err) {
          return reply.status(503).send({ status: 'unavailable' as const, database: (err as Error).message });
        }
      },
    );
  };
}
