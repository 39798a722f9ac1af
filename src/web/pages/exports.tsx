import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CSV_MAX_ROWS } from '../../api/routes/calls-csv.ts';
import { audit, createToken } from '../../auth/tokens.ts';
import { callQuerySchema, queryCalls } from '../../calls/query.ts';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { buildCalendar } from '../../feeds/calendar.ts';
import { callsCsv } from '../../feeds/csv.ts';
import { feedQuerySchema } from '../../feeds/selection.ts';
import { sendPage } from '../render.tsx';
import { safeReturnPath } from '../view.ts';
import { formQuery } from './search.tsx';

const anyQuery = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

/** Query string of a feed selection (one action field or measure, a minimum score). */
export function feedParams(target: { actionField?: string; measure?: string }, minScore?: number): string {
  const p = new URLSearchParams();
  if (target.actionField) p.set('actionField', target.actionField);
  if (target.measure) p.set('measure', target.measure);
  if (minScore !== undefined) p.set('minScore', String(minScore));
  return p.toString();
}

/**
 * Downloads for the signed-in person (the session opens them, like any page), and the
 * calendar subscription link: a calendar app cannot hold a session, so it gets a read-only token
 * of its own in the URL, made on request and shown once (the API's feeds accept `?token=`).
 */
export function exportPages(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const config = { page: true } as const;

    app.get(
      '/export/calls.csv',
      { config, schema: { hide: true, querystring: anyQuery } },
      async (req, reply) => {
        const parsed = callQuerySchema.omit({ cursor: true, limit: true }).safeParse(formQuery(req.query));
        if (!parsed.success)
          throw new AppError('VALIDATION_FAILED', parsed.error.issues.map((i) => i.message).join('; '));
        const now = new Date();
        const result = queryCalls(
          ctx,
          { ...parsed.data, limit: CSV_MAX_ROWS },
          { now, maxLimit: CSV_MAX_ROWS },
        );
        return reply
          .type('text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="foerdermatch-calls-${now.toISOString().slice(0, 10)}.csv"`,
          )
          .send(callsCsv(result.items, { apiBase: ctx.config.publicBaseUrl, now, delimiter: 'semicolon' }));
      },
    );

    app.get(
      '/export/calendar.ics',
      { config, schema: { hide: true, querystring: anyQuery } },
      async (req, reply) => {
        const parsed = feedQuerySchema.omit({ token: true }).safeParse(formQuery(req.query));
        if (!parsed.success)
          throw new AppError('VALIDATION_FAILED', parsed.error.issues.map((i) => i.message).join('; '));
        return reply
          .type('text/calendar; charset=utf-8')
          .header('content-disposition', 'attachment; filename="foerdermatch-fristen.ics"')
          .send(buildCalendar(ctx, parsed.data));
      },
    );

    app.post(
      '/export/subscription',
      {
        config,
        schema: {
          hide: true,
          body: z.object({
            _csrf: z.string(),
            actionField: z.string().max(100).optional(),
            measure: z.string().max(100).optional(),
            back: z.string().max(2000).optional(),
          }),
        },
      },
      async (req, reply) => {
        const who = req.principal!;
        const selection = feedQuerySchema.omit({ token: true }).safeParse({
          ...(req.body.actionField ? { actionField: req.body.actionField } : {}),
          ...(req.body.measure ? { measure: req.body.measure } : {}),
        });
        if (!selection.success) throw new AppError('VALIDATION_FAILED', 'invalid selection');
        const target = req.body.measure ?? req.body.actionField ?? 'alle';
        const t = createToken(ctx.dbh.db, {
          name: `Kalender-Abo ${who.name}: ${target}`.slice(0, 100),
          role: 'reader',
        });
        audit(ctx.dbh.db, {
          actor: `token:${who.id}:${who.name}`,
          action: 'token.create',
          target: String(t.id),
          details: { purpose: 'calendar subscription', selection: target },
        });
        const params = feedParams({
          ...(req.body.actionField ? { actionField: req.body.actionField } : {}),
          ...(req.body.measure ? { measure: req.body.measure } : {}),
        });
        const ics = `${ctx.config.publicBaseUrl}/api/calendar.ics?${params}${params ? '&' : ''}token=${encodeURIComponent(t.token)}`;
        const atom = `${ctx.config.publicBaseUrl}/api/feed.atom?${params}${params ? '&' : ''}token=${encodeURIComponent(t.token)}`;
        const back = safeReturnPath(req.body.back);
        return sendPage(req, reply, { title: (v) => v.t('field.icsSubscribe') }, (view) => (
          <>
            <h1>{view.t('field.icsSubscribe')}</h1>
            <p role="status">{view.t('field.icsLink')}</p>
            <p>
              <label for="ics-url">ICS</label>
              <input id="ics-url" class="wide" type="text" readonly value={ics} />
            </p>
            <p>
              <label for="atom-url">{view.t('field.atom')}</label>
              <input id="atom-url" class="wide" type="text" readonly value={atom} />
            </p>
            <p>
              <a href={back}>← {back}</a>
            </p>
          </>
        ));
      },
    );
  };
}
