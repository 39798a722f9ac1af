import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sourceAdapters } from '../../../crawlers/index.ts';
import { runCrawl } from '../../../crawlers/run.ts';
import { audit } from '../../auth/tokens.ts';
import type { AppContext } from '../../context.ts';
import { crawlOutcomes, sourceIds } from '../../domain/enums.ts';
import { numericId, wholeNumber } from '../../domain/numbers.ts';
import { AppError } from '../../errors.ts';
import { getCrawlRun, listCrawlRuns, sourceHealth } from '../../sources/status.ts';
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
    // Crawls started through the API run in the background; closing the app stops and awaits them.
    const inFlight = new Set<Promise<unknown>>();
    const stop = new AbortController();
    app.addHook('onClose', async () => {
      stop.abort(new Error('server shutting down'));
      await Promise.allSettled([...inFlight]);
    });

    app.post(
      '/api/crawl-runs',
      {
        config: { role: 'admin' },
        schema: {
          tags: ['sources'],
          summary: 'Abruf einer Quelle jetzt starten / start crawling a source now (admin)',
          description:
            'Starts the run in the background and answers 202 with the new run; poll `GET /api/crawl-runs/{id}`. 409 when a run of the source is already going.',
          security: [{ bearer: [] }],
          body: z.object({ source: z.enum(sourceIds) }),
          response: { 202: crawlRunOut, 400: problemSchema, 409: problemSchema },
        },
      },
      async (req, reply) => {
        const adapter = sourceAdapters.find((a) => a.id === req.body.source);
        if (!adapter) {
          throw new AppError(
            'VALIDATION_FAILED',
            `Für "${req.body.source}" gibt es keinen Crawler / no crawler.`,
            {
              details: [
                {
                  path: 'body.source',
                  message: `expected one of ${sourceAdapters.map((a) => a.id).join(', ')}`,
                },
              ],
            },
          );
        }
        const before = (
          ctx.dbh.sqlite.prepare('select coalesce(max(id), 0) as id from crawl_runs').get() as { id: number }
        ).id;
        // runCrawl takes the source's lock synchronously before its first await: after the call,
        // either our run row exists or the promise has been rejected (CRAWL_RUNNING).
        const run = runCrawl(ctx, adapter, { trigger: 'api', signal: stop.signal });
        const mine = ctx.dbh.sqlite
          .prepare(
            "select id from crawl_runs where id > ? and source = ? and trigger = 'api' order by id limit 1",
          )
          .get(before, adapter.id) as { id: number } | undefined;
        if (!mine) {
          await run; // rejects with the lock error, answered as 409 problem+json
          throw new AppError('INTERNAL', 'crawl did not start');
        }
        const tracked = run
          .catch((err: unknown) => ctx.logger.error({ err, source: adapter.id }, 'API-started crawl failed'))
          .finally(() => inFlight.delete(tracked));
        inFlight.add(tracked);
        audit(ctx.dbh.db, {
          actor: `token:${req.principal!.id}:${req.principal!.name}`,
          action: 'crawl.start',
          target: adapter.id,
          details: { runId: mine.id },
        });
        return reply
          .status(202)
          .header('location', `/api/crawl-runs/${mine.id}`)
          .send(getCrawlRun(ctx, mine.id)!);
      },
    );

    app.get(
      '/api/crawl-runs/:id',
      {
        config: { role: 'admin' },
        schema: {
          tags: ['sources'],
          summary: 'Ein Abruflauf / one crawl run (admin)',
          security: [{ bearer: [] }],
          params: z.object({ id: numericId }),
          response: { 200: crawlRunOut, 404: problemSchema },
        },
      },
      async (req) => {
        const run = getCrawlRun(ctx, req.params.id);
        if (!run)
          throw new AppError('NOT_FOUND', `Abruflauf ${req.params.id} gibt es nicht / no such crawl run.`);
        return run;
      },
    );

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
            before: numericId.optional().describe('runs with a smaller id (next page)'),
            limit: wholeNumber(1, 200).optional(),
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
