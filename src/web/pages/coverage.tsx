import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { coverageFamiliesCsv, coverageMeasuresCsv } from '../../coverage/csv.ts';
import type { MeasureCoverage } from '../../coverage/report.ts';
import { coverageReport } from '../../coverage/report.ts';
import { pursuitStatuses } from '../../domain/enums.ts';
import { berlin } from '../../domain/time.ts';
import { statusLabels } from '../../pursuits/status.ts';
import { formatDateTime } from '../components.tsx';
import { callPagePath, measurePagePath } from '../links.ts';
import { sendPage } from '../render.tsx';
import type { View } from '../view.ts';
import { eur } from './pipeline-parts.tsx';

function PipelineCell({ view, m }: { view: View; m: MeasureCoverage }) {
  const lines = pursuitStatuses
    .filter((s) => m.pursuits[s].count > 0)
    .map((s) =>
      view.t('coverage.pursuitLine', {
        label: statusLabels[view.lang][s],
        count: m.pursuits[s].count,
        applied: eur(m.pursuits[s].applied, view.lang),
        granted: eur(m.pursuits[s].granted, view.lang),
      }),
    );
  if (lines.length === 0) return <>–</>;
  return (
    <ul class="plain">
      {lines.map((l) => (
        <li>{l}</li>
      ))}
    </ul>
  );
}

/** The coverage report as a page: measures (funding gaps first) and programme families × fields. */
export function coveragePages(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const config = { page: true } as const;

    app.get('/coverage', { config, schema: { hide: true } }, async (req, reply) => {
      const r = coverageReport(ctx);
      return sendPage(req, reply, { title: (v) => v.t('coverage.title'), current: '/coverage' }, (view) => {
        const { t } = view;
        return (
          <>
            <h1>{t('coverage.title')}</h1>
            <p>{t('coverage.intro', { threshold: r.threshold })}</p>
            <p class="meta">
              <span class={r.gaps > 0 ? 'badge badge-warn' : 'badge badge-ok'}>
                {t('coverage.gaps', { n: r.gaps })}
              </span>
            </p>
            <ul class="inline-list">
              <li>
                <a href="/coverage.csv?view=measures">{t('coverage.csvMeasures')}</a>
              </li>
              <li>
                <a href="/coverage.csv?view=families">{t('coverage.csvFamilies')}</a>
              </li>
            </ul>
            <section aria-labelledby="cov-measures">
              <h2 id="cov-measures">{t('coverage.measures')}</h2>
              <div class="table-scroll">
                <table class="data">
                  <thead>
                    <tr>
                      <th scope="col">{t('coverage.measure')}</th>
                      <th scope="col">{t('coverage.open')}</th>
                      <th scope="col">{t('coverage.last12')}</th>
                      <th scope="col">{t('coverage.best')}</th>
                      <th scope="col">{t('coverage.nearest')}</th>
                      <th scope="col">{t('coverage.budget')}</th>
                      <th scope="col">{t('coverage.pursuits')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.measures.map((m) => (
                      <tr class={m.gap ? 'gap' : undefined}>
                        <th scope="row">
                          <a href={measurePagePath(m.measureId)}>{`${m.actionFieldNumber}.${m.number}`}</a>{' '}
                          {m.gap && <span class="badge badge-warn">{t('coverage.gap')}</span>}
                          <span class="muted block">{m.text}</span>
                        </th>
                        <td>{m.openCalls}</td>
                        <td>{m.fittingLast12Months}</td>
                        <td>{m.best ? <a href={callPagePath(m.best.callId)}>{m.best.title}</a> : '–'}</td>
                        <td>
                          {m.nearestDeadline ? formatDateTime(m.nearestDeadline.at, berlin, view.lang) : '–'}
                        </td>
                        <td>{m.budgetCalls > 0 ? eur(m.budgetTotal, view.lang) : '–'}</td>
                        <td>
                          <PipelineCell view={view} m={m} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
            <section aria-labelledby="cov-families">
              <h2 id="cov-families">{t('coverage.families')}</h2>
              <div class="table-scroll">
                <table class="data">
                  <thead>
                    <tr>
                      <th scope="col">{t('coverage.family')}</th>
                      <th scope="col">{t('coverage.calls')}</th>
                      {r.fields.map((f) => (
                        <th scope="col">
                          <abbr title={f.name}>{f.number}</abbr>
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {r.families.map((fam) => (
                      <tr>
                        <th scope="row">{fam.family}</th>
                        <td>{fam.calls}</td>
                        {r.fields.map((f) => (
                          <td>{fam.fields[f.key] ?? 0}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          </>
        );
      });
    });

    app.get(
      '/coverage.csv',
      {
        config,
        schema: {
          hide: true,
          querystring: z.object({ view: z.enum(['measures', 'families']).default('measures') }),
        },
      },
      async (req, reply) => {
        const r = coverageReport(ctx);
        const body =
          req.query.view === 'families'
            ? coverageFamiliesCsv(r, 'semicolon')
            : coverageMeasuresCsv(r, 'semicolon');
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="coverage-${req.query.view}.csv"`)
          .send(body);
      },
    );
  };
}
