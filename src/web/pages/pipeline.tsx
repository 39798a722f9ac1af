import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { conceptIndex } from '../../concept/load.ts';
import type { AppContext } from '../../context.ts';
import { pursuitStatuses } from '../../domain/enums.ts';
import { berlin } from '../../domain/time.ts';
import { createPursuit } from '../../pursuits/create.ts';
import { pursuitsCsv } from '../../pursuits/csv.ts';
import { listPursuits, type PursuitFilter } from '../../pursuits/list.ts';
import type { Pursuit } from '../../pursuits/model.ts';
import { statusLabels } from '../../pursuits/status.ts';
import { formatDateTime } from '../components.tsx';
import { sendPage } from '../render.tsx';
import type { View } from '../view.ts';
import { formList, withServiceErrors } from './pipeline-parts.tsx';

export const pursuitPagePath = (id: number) => `/pipeline/${id}`;

const listQuery = z.object({
  owner: z.string().max(20).optional(),
  status: z.string().max(40).optional(),
  measure: z.string().max(100).optional(),
  deadlineFrom: z.string().max(10).optional(),
  deadlineTo: z.string().max(10).optional(),
});

/** The page's filter as the service's filter (empty fields are no filter). */
function filterOf(q: z.infer<typeof listQuery>): PursuitFilter {
  const f: PursuitFilter = {};
  if (q.owner) f.owner = q.owner;
  if (q.status) f.status = q.status;
  if (q.measure) f.measure = q.measure;
  if (q.deadlineFrom) f.deadlineFrom = q.deadlineFrom;
  if (q.deadlineTo) f.deadlineTo = q.deadlineTo;
  return f;
}

function Flags({ view, p }: { view: View; p: Pursuit }) {
  return (
    <>
      {p.deadlineMissed && <span class="badge badge-bad">{view.t('pipeline.missed')}</span>}
      {p.unseenAlerts > 0 && (
        <span class="badge badge-warn">{view.t('pipeline.unseen', { n: p.unseenAlerts })}</span>
      )}
    </>
  );
}

/** The pipeline list with its filters and CSV export, and the "add to pipeline" form's target. */
export function pipelinePages(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const config = { page: true } as const;
    const index = conceptIndex(ctx.concept.concept);
    const measureLabel = (id: string) => {
      const m = index.measures.get(id);
      const f = m ? index.fields.get(m.actionFieldKey) : undefined;
      return m && f ? `${f.number}.${m.number}` : id;
    };

    app.get('/pipeline', { config, schema: { hide: true, querystring: listQuery } }, async (req, reply) => {
      const q = req.query;
      const items = listPursuits(ctx, filterOf(q), { tokenId: req.principal!.id });
      const csv = new URLSearchParams(Object.entries(filterOf(q)) as [string, string][]).toString();
      return sendPage(req, reply, { title: (v) => v.t('pipeline.title'), current: '/pipeline' }, (view) => {
        const { t } = view;
        const labels = statusLabels[view.lang];
        return (
          <>
            <h1>{t('pipeline.title')}</h1>
            <p>{t('pipeline.intro')}</p>
            <form method="get" action="/pipeline" class="filters" aria-label={t('pipeline.filter')}>
              <label class="filter">
                {t('pipeline.owner')}
                <select name="owner">
                  <option value="">{t('pipeline.ownerAll')}</option>
                  <option value="me" selected={q.owner === 'me'}>
                    {t('pipeline.ownerMine')}
                  </option>
                </select>
              </label>
              <label class="filter">
                {t('pipeline.status')}
                <select name="status">
                  <option value="">{t('pipeline.statusAll')}</option>
                  {pursuitStatuses.map((s) => (
                    <option value={s} selected={q.status === s}>
                      {labels[s]}
                    </option>
                  ))}
                </select>
              </label>
              <label class="filter">
                {t('pipeline.measure')}
                <select name="measure">
                  <option value="">{t('pipeline.measureAll')}</option>
                  {[...index.measures.keys()].map((id) => (
                    <option value={id} selected={q.measure === id}>
                      {measureLabel(id)}
                    </option>
                  ))}
                </select>
              </label>
              <label class="filter">
                {t('pipeline.deadlineFrom')}
                <input type="date" name="deadlineFrom" value={q.deadlineFrom ?? ''} />
              </label>
              <label class="filter">
                {t('pipeline.deadlineTo')}
                <input type="date" name="deadlineTo" value={q.deadlineTo ?? ''} />
              </label>
              <button type="submit">{t('pipeline.filter')}</button>
            </form>
            <p>
              <a href={`/pipeline.csv${csv ? `?${csv}` : ''}`}>{t('pipeline.csv')}</a>
            </p>
            {items.length === 0 ? (
              <p>{t('pipeline.none')}</p>
            ) : (
              <table class="data">
                <thead>
                  <tr>
                    <th scope="col">{t('pipeline.call')}</th>
                    <th scope="col">{t('pipeline.status')}</th>
                    <th scope="col">{t('pipeline.measures')}</th>
                    <th scope="col">{t('pipeline.owner')}</th>
                    <th scope="col">{t('pipeline.deadline')}</th>
                    <th scope="col">{t('pipeline.flags')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((p) => (
                    <tr>
                      <td>
                        <a href={pursuitPagePath(p.id)}>{p.call.title}</a>
                      </td>
                      <td>{labels[p.status]}</td>
                      <td>{p.measures.map(measureLabel).join(', ')}</td>
                      <td>{p.owner.name}</td>
                      <td>
                        {p.call.nextDeadline
                          ? formatDateTime(p.call.nextDeadline.at, berlin, view.lang)
                          : t('pipeline.noDeadline')}
                      </td>
                      <td>
                        <Flags view={view} p={p} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        );
      });
    });

    app.get(
      '/pipeline.csv',
      { config, schema: { hide: true, querystring: listQuery } },
      async (req, reply) => {
        const items = listPursuits(ctx, filterOf(req.query), { tokenId: req.principal!.id });
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="pipeline.csv"')
          .send(pursuitsCsv(items, { apiBase: ctx.config.publicBaseUrl, delimiter: 'semicolon' }));
      },
    );

    app.post(
      '/pipeline',
      {
        config,
        schema: {
          hide: true,
          body: z.object({
            _csrf: z.string(),
            callId: z.string().min(1).max(300),
            measures: formList,
            ownerEmail: z.string().max(254),
            ownerLanguage: z.enum(['de', 'en']).default('de'),
          }),
        },
      },
      async (req, reply) =>
        withServiceErrors(req, reply, () => {
          const b = req.body;
          const p = createPursuit(ctx, req.principal!, {
            callId: b.callId,
            measures: b.measures,
            ownerEmail: b.ownerEmail.trim(),
            ownerLanguage: b.ownerLanguage,
          });
          return reply.redirect(`${pursuitPagePath(p.id)}?created=1`, 303);
        }),
    );
  };
}
