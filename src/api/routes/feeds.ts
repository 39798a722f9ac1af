import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { buildAtomFeed } from '../../feeds/atom.ts';
import { buildCalendar } from '../../feeds/calendar.ts';
import { calendarPursuitsSchema } from '../../feeds/calendar-pursuits.ts';
import { feedQuerySchema } from '../../feeds/selection.ts';
import { problemSchema } from '../problem.ts';

/**
 * Subscribable calendar and feed. Calendar apps and feed readers cannot send headers, so these
 * routes (only these) accept the read-only token as `?token=`.
 */
export function feedRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const config = { queryToken: true } as const;
    app.get(
      '/api/calendar.ics',
      {
        config,
        schema: {
          tags: ['feeds'],
          summary: 'Fristen als iCalendar-Abo / deadlines as a subscribable iCalendar',
          description:
            'One event per deadline of matching open calls, in the zone it was published in, with alarms 14 and 2 days before; plus the deadlines of pursuits not yet submitted, with alarms at the reminder lead times. Token in the query string for calendar apps.',
          querystring: feedQuerySchema.extend({ pursuits: calendarPursuitsSchema }),
          response: { 200: z.string(), 400: problemSchema },
        },
      },
      async (req, reply) =>
        reply
          .type('text/calendar; charset=utf-8')
          .header('content-disposition', 'inline; filename="foerdermatch-fristen.ics"')
          .header('cache-control', 'private, max-age=300')
          .send(buildCalendar(ctx, req.query, new Date(), { tokenId: req.principal!.id })),
    );
    app.get(
      '/api/feed.atom',
      {
        config,
        schema: {
          tags: ['feeds'],
          summary: 'Neue passende Aufrufe als Atom-Feed / new matching calls as an Atom feed',
          querystring: feedQuerySchema,
          response: { 200: z.string(), 400: problemSchema },
        },
      },
      async (req, reply) => {
        // The self link repeats the filters but never the token.
        const self = new URL(`${ctx.config.publicBaseUrl}${req.url}`);
        self.searchParams.delete('token');
        return reply
          .type('application/atom+xml; charset=utf-8')
          .header('cache-control', 'private, max-age=300')
          .send(buildAtomFeed(ctx, req.query, self.toString()));
      },
    );
  };
}
