import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { probeDatabaseFile } from '../../../db/integrity.ts';
import type { AppContext } from '../../context.ts';
import { sourceHealth } from '../../sources/status.ts';

const sourceAge = z.object({
  id: z.string(),
  lastGoodCrawlAt: z.string().nullable(),
  ageHours: z.number().nullable().describe('hours since the last successful crawl'),
  stale: z.boolean(),
});

/** How long a sound integrity probe of the file stands before `/ready` reads the file again. */
const INTEGRITY_TTL_MS = 60_000;
/** quick_check blocks the event loop while it reads every page: on larger files `/ready` only reads the schema. */
const READY_CHECK_MAX_BYTES = 32 * 1024 * 1024;

export function healthRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // The server's own connection may hold good copies of pages that are damaged on disk, so the
  // file is read through a fresh connection; a damaged result is checked again on every probe.
  const integrity = { checkedAt: 0, problem: undefined as string | undefined };
  const fileProblem = () => {
    const now = Date.now();
    if (integrity.problem !== undefined || now - integrity.checkedAt > INTEGRITY_TTL_MS) {
      integrity.problem = probeDatabaseFile(ctx.config.databasePath, READY_CHECK_MAX_BYTES);
      integrity.checkedAt = now;
    }
    return integrity.problem;
  };
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
      async (req, reply) => {
        try {
          ctx.dbh.sqlite.prepare('select 1').get();
          const problem = fileProblem();
          if (problem) {
            req.log.error({ problem }, 'database file damaged');
            return reply
              .status(503)
              .send({ status: 'unavailable' as const, database: `damaged: ${problem}` });
          }
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
