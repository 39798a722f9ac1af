import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';

export function healthRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/health',
      {
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
        schema: {
          tags: ['system'],
          summary: 'Readiness: the database answers',
          response: {
            200: z.object({ status: z.literal('ready'), database: z.literal('ok') }),
            503: z.object({ status: z.literal('unavailable'), database: z.string() }),
          },
        },
      },
      async (_req, reply) => {
        try {
          ctx.dbh.sqlite.prepare('select 1').get();
          return { status: 'ready' as const, database: 'ok' as const };
        } catch (err) {
          return reply.status(503).send({ status: 'unavailable' as const, database: (err as Error).message });
        }
      },
    );
  };
}
