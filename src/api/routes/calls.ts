import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callListGzip, callListJson } from '../../calls/list-json.ts';
import { callQuerySchema, queryCalls, statusAt } from '../../calls/query.ts';
import { callSearchIndex } from '../../calls/search-index.ts';
import { getCall, getCallChanges } from '../../calls/store.ts';
import { deadlineView } from '../../calls/view.ts';
import type { AppContext } from '../../context.ts';
import { archivedFrom } from '../../domain/call.ts';
import { callStatuses, sourceIds } from '../../domain/enums.ts';
import { AppError } from '../../errors.ts';
import { matchesOfCall } from '../../matches/list.ts';
import { explainTargets } from '../../matching/service.ts';
import { sourceHealth } from '../../sources/status.ts';
import { acceptsGzip } from '../accepts-gzip.ts';
import { problemSchema } from '../problem.ts';
import { budgetOut, callSummaryOut, deadlineOut, explainedMatchOut } from '../schemas.ts';
import { fastSerializerCompiler, sendJsonText } from '../serialize.ts';

const callDetailOut = z
  .object({
    id: z.string(),
    source: z.enum(sourceIds),
    sourceId: z.string(),
    funder: z.string().nullable(),
    programme: z.string().nullable(),
    identifier: z.string().nullable(),
    title: z.string(),
    summary: z.string(),
    description: z.string(),
    url: z.string().nullable(),
    language: z.string(),
    status: z.enum(callStatuses).describe('computed from the dates now'),
    sourceStatus: z.string().nullable().describe("the source's own status, evidence only"),
    openingDate: z.string().nullable(),
    deadlines: z.array(deadlineOut),
    budget: budgetOut.nullable(),
    fundingRate: z.number().nullable(),
    applicantTypes: z.array(z.string()),
    applicantsText: z.string().nullable(),
    countries: z.array(z.string()),
    nuts: z.array(z.string()),
    keywords: z.array(z.string()),
    notices: z.array(z.string()),
    provenance: z.object({
      sourceUrl: z.string(),
      fetchedAt: z.string(),
      contentHash: z.string(),
      attribution: z.string().nullable(),
      firstSeenAt: z.string(),
      lastSeenAt: z.string(),
      delistedAt: z.string().nullable(),
      lastGoodCrawlAt: z.string().nullable(),
      stale: z.boolean().describe('its source has had no good crawl for longer than configured'),
    }),
    changes: z.array(
      z.object({
        changedAt: z.string(),
        field: z.string(),
        oldValue: z.unknown(),
        newValue: z.unknown(),
        crawlRunId: z.number().int().nullable(),
      }),
    ),
    matches: z.array(explainedMatchOut),
  })
  .meta({ id: 'CallDetail' });

export function callRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    // Build the search index before the first request rather than during it.
    app.addHook('onReady', async () => {
      callSearchIndex(ctx);
    });

    app.get(
      '/api/calls',
      {
        config: { cache: 'shared' },
        serializerCompiler: fastSerializerCompiler,
        schema: {
          tags: ['calls'],
          summary: 'Calls suchen und filtern / search and filter calls',
          description:
            'Full-text search over title, identifier, programme, keywords, summary and description (German and English stemming, typo tolerance, prefix on the last word, bilingual vocabulary). Cursor pagination: follow `next`.',
          security: [{ bearer: [] }],
          querystring: callQuerySchema,
          response: {
            200: z.object({
              items: z.array(callSummaryOut),
              total: z.number().int(),
              next: z.string().nullable(),
            }),
            400: problemSchema,
          },
        },
      },
      async (req, reply) => {
        const now = Date.now();
        const result = queryCalls(ctx, req.query, { now: new Date(now) });
        let next: string | null = null;
        if (result.next) {
          const params = new URLSearchParams();
          for (const [k, v] of Object.entries(req.query))
            if (v !== undefined && k !== 'cursor') params.set(k, String(v));
          params.set('cursor', result.next);
          next = `/api/calls?${params}`;
        }
        // Written from text kept per card (src/calls/list-json.ts), in the shape of the schema above.
        // Not kept by the response cache (off, or the route's answers not cached): gzip from
        // the cards' kept pieces instead of compressing the page anew (src/calls/gzip-pieces.ts).
        if (!req.cacheSlot && acceptsGzip(req.headers['accept-encoding'])) {
          reply.header('content-encoding', 'gzip').header('vary', 'Accept-Encoding');
          return sendJsonText(reply, callListGzip(result.items, result.total, next, now));
        }
        return sendJsonText(reply, callListJson(result.items, result.total, next, now));
      },
    );

    app.get(
      '/api/calls/:id',
      {
        schema: {
          tags: ['calls'],
          summary:
            'Ein Call mit Herkunft, Änderungen und Treffern / one call with provenance, history and matches',
          security: [{ bearer: [] }],
          params: z.object({ id: z.string().min(1).max(300) }),
          response: { 200: callDetailOut, 404: problemSchema },
        },
      },
      async (req) => {
        const call = getCall(ctx.dbh.db, req.params.id);
        if (!call) throw new AppError('NOT_FOUND', `Call "${req.params.id}" gibt es nicht / does not exist.`);
        const now = Date.now();
        const facts = callSearchIndex(ctx).facts.get(call.id);
        const status = facts
          ? statusAt(facts, now)
          : statusAt(
              {
                openingAt: call.openingDate ? Date.parse(call.openingDate) : null,
                deadlines: call.deadlines.map((d) => Date.parse(d.at)),
                archivedAt: ((at) => (at ? Date.parse(at) : null))(archivedFrom(call)),
              },
              now,
            );
        const health = sourceHealth(ctx, new Date(now), { schedule: false }).find(
          (s) => s.id === call.source,
        );
        const good = health?.lastGoodRun;
        return {
          id: call.id,
          source: call.source,
          sourceId: call.sourceId,
          funder: call.funder ?? null,
          programme: call.programme ?? null,
          identifier: call.identifier ?? null,
          title: call.title,
          summary: call.summary,
          description: call.description,
          url: call.url ?? null,
          language: call.language,
          status,
          sourceStatus: call.sourceStatus ?? null,
          openingDate: call.openingDate ?? null,
          deadlines: call.deadlines.map((d) => deadlineView(d, now)),
          budget: call.budget ?? null,
          fundingRate: call.fundingRate ?? null,
          applicantTypes: call.applicantTypes,
          applicantsText: call.applicantsText ?? null,
          countries: call.countries,
          nuts: call.nuts,
          keywords: call.keywords,
          notices: call.notices,
          provenance: {
            sourceUrl: call.provenance.sourceUrl,
            fetchedAt: call.provenance.fetchedAt,
            contentHash: call.provenance.contentHash,
            attribution: call.provenance.attribution ?? null,
            firstSeenAt: call.firstSeenAt,
            lastSeenAt: call.lastSeenAt,
            delistedAt: call.delistedAt,
            lastGoodCrawlAt: good ? (good.finishedAt ?? good.startedAt) : null,
            stale: health?.stale ?? false,
          },
          changes: getCallChanges(ctx.dbh.db, call.id).map((c) => ({
            changedAt: c.changedAt,
            field: c.field,
            oldValue: c.oldValue,
            newValue: c.newValue,
            crawlRunId: c.crawlRunId,
          })),
          matches: explainedMatches(ctx, call.id),
        };
      },
    );
  };
}

/**
 * The call's stored matches, each with its explanation made now (rows store the reason lines
 * only); null for a target the active concept no longer has (its row stays until a re-match).
 */
function explainedMatches(ctx: AppContext, callId: string) {
  const rows = matchesOfCall(ctx, callId);
  const explained = explainTargets(
    ctx,
    callId,
    rows.map((m) => m.target),
  );
  return rows.map((m) => ({ ...m, explanation: explained.get(m.target) ?? null }));
}
