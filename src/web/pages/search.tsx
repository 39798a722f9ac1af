import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type CallQueryInput, callQuerySchema, callSorts, queryCalls } from '../../calls/query.ts';
import type { AppContext } from '../../context.ts';
import { callStatuses, sourceIds } from '../../domain/enums.ts';
import { cached } from '../../sql.ts';
import { CallCardItem, type CardMatch } from '../components.tsx';
import { sendPage } from '../render.tsx';
import { type View, withoutParam, withParam } from '../view.ts';

/** Form values arrive as text, repeated keys as arrays, unset fields as "": normalise first. */
export function formQuery(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    const text = Array.isArray(v)
      ? v.filter((x) => x !== '').join(',')
      : typeof v === 'string'
        ? v.trim()
        : '';
    if (text !== '' && k !== 'lang') out[k] = text;
  }
  return out;
}

/** Best match per call for cards of a list that was not filtered by a target. */
export function bestMatches(ctx: AppContext, ids: readonly string[]): Map<string, CardMatch> {
  const out = new Map<string, CardMatch>();
  if (ids.length === 0) return out;
  const rows = cached(
    ctx.dbh.sqlite,
    `select call_id as callId, score, eligibility, reason, reason_en as reasonEn
       from matches where call_id in (${ids.map(() => '?').join(',')}) and eligibility != 'excluded'
       order by score desc`,
  ).all(...ids) as (CardMatch & { callId: string })[];
  for (const { callId, ...m } of rows) if (!out.has(callId)) out.set(callId, m);
  return out;
}

const pageQuery = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

function SearchForm({
  view,
  ctx,
  q,
  errors,
}: {
  view: View;
  ctx: AppContext;
  q: Record<string, string>;
  errors: Set<string>;
}) {
  const { t } = view;
  const concept = ctx.concept.concept;
  const statuses = new Set((q.status ?? '').split(',').filter(Boolean));
  const invalid = (k: string) => (errors.has(k) ? 'true' : undefined);
  return (
    <form method="get" action="/search" class="search-form">
      <div class="search-box">
        <label for="q">{t('search.q')}</label>
        <div class="row">
          <input id="q" name="q" type="search" value={q.q ?? ''} />
          <button type="submit" class="primary">
            {t('search.submit')}
          </button>
        </div>
      </div>
      <fieldset class="filters">
        <legend>{t('search.filters')}</legend>
        <div class="filter">
          <label for="source">{t('search.source')}</label>
          <select id="source" name="source" aria-invalid={invalid('source')}>
            <option value="">{t('search.any')}</option>
            {sourceIds.map((s) => (
              <option value={s} selected={q.source === s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <fieldset class="filter checks">
          <legend>{t('search.status')}</legend>
          {callStatuses.map((s) => (
            <label class="check">
              <input type="checkbox" name="status" value={s} checked={statuses.has(s)} /> {t(`status.${s}`)}
            </label>
          ))}
        </fieldset>
        <div class="filter">
          <label for="actionField">{t('search.field')}</label>
          <select id="actionField" name="actionField" aria-invalid={invalid('actionField')}>
            <option value="">{t('search.any')}</option>
            {concept.actionFields.map((f) => (
              <option value={f.key} selected={q.actionField === f.key}>
                {f.number}. {f.name}
              </option>
            ))}
          </select>
        </div>
        <div class="filter">
          <label for="measure">{t('search.measure')}</label>
          <select id="measure" name="measure" aria-invalid={invalid('measure')}>
            <option value="">{t('search.any')}</option>
            {concept.actionFields.map((f) => (
              <optgroup label={`${f.number}. ${f.name}`}>
                {f.measures.map((m) => (
                  <option value={m.id} selected={q.measure === m.id}>
                    {f.number}.{m.number} {m.text.length > 70 ? `${m.text.slice(0, 70)}…` : m.text}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <div class="filter">
          <label for="deadlineFrom">{t('search.deadlineFrom')}</label>
          <input
            id="deadlineFrom"
            name="deadlineFrom"
            type="date"
            value={q.deadlineFrom ?? ''}
            aria-invalid={invalid('deadlineFrom')}
          />
        </div>
        <div class="filter">
          <label for="deadlineTo">{t('search.deadlineTo')}</label>
          <input
            id="deadlineTo"
            name="deadlineTo"
            type="date"
            value={q.deadlineTo ?? ''}
            aria-invalid={invalid('deadlineTo')}
          />
        </div>
        <div class="filter">
          <label for="minScore">{t('search.minScore')}</label>
          <input
            id="minScore"
            name="minScore"
            type="number"
            min={0}
            max={100}
            step={1}
            value={q.minScore ?? ''}
            aria-invalid={invalid('minScore')}
          />
        </div>
        <div class="filter">
          <label for="sort">{t('search.sort')}</label>
          <select id="sort" name="sort">
            <option value="">–</option>
            {callSorts.map((s) => (
              <option value={s} selected={q.sort === s}>
                {t(`search.sort.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="filter filter-end">
          <label class="check">
            <input type="checkbox" name="eligibleOnly" value="true" checked={q.eligibleOnly === 'true'} />{' '}
            {t('search.eligibleOnly')}
          </label>
          <button type="submit">{t('search.apply')}</button>
        </div>
      </fieldset>
    </form>
  );
}

/** `GET /search`: the calls list of `GET /api/calls` (same service and filters) as a page. */
export function searchPages(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/search',
      { config: { page: true }, schema: { hide: true, querystring: pageQuery } },
      async (req, reply) => {
        const q = formQuery(req.query);
        const parsed = callQuerySchema.safeParse(q);
        const now = new Date();
        let errors: { path: string; message: string }[] = [];
        let result: ReturnType<typeof queryCalls> | undefined;
        if (!parsed.success) {
          errors = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        } else {
          try {
            result = queryCalls(ctx, { ...(parsed.data as CallQueryInput), limit: 20 }, { now });
          } catch (err) {
            const details = (err as { details?: { path: string; message: string }[] }).details;
            if (!details) throw err;
            errors = details.map((d) => ({ path: d.path.replace(/^querystring\./, ''), message: d.message }));
          }
        }
        const matches = result
          ? bestMatches(
              ctx,
              result.items.filter((i) => !i.match).map((i) => i.call.id),
            )
          : new Map();
        const exportQuery = new URLSearchParams(Object.entries(q).filter(([k]) => k !== 'cursor')).toString();
        return sendPage(
          req,
          reply,
          {
            title: (v) => (q.q ? `${v.t('search.title')}: ${q.q}` : v.t('search.title')),
            current: '/search',
            status: errors.length ? 400 : 200,
          },
          (view) => (
            <>
              <h1>{view.t('search.title')}</h1>
              <SearchForm view={view} ctx={ctx} q={q} errors={new Set(errors.map((e) => e.path))} />
              {errors.length > 0 && (
                <div class="notice notice-error" role="alert">
                  <ul>
                    {errors.map((e) => (
                      <li>
                        {e.path}: {e.message}
                      </li>
                    ))}
                  </ul>
                </div>
              )}
              {result && (
                <section aria-labelledby="results-title">
                  <h2 id="results-title" aria-live="polite">
                    {view.t('search.results', { n: result.total })}
                  </h2>
                  <p class="actions">
                    <a class="button" href={`/export/calls.csv${exportQuery ? `?${exportQuery}` : ''}`}>
                      {view.t('search.csv')}
                    </a>
                  </p>
                  {result.items.length === 0 ? (
                    <p>{view.t('search.none')}</p>
                  ) : (
                    <ul class="cards">
                      {result.items.map((i) => (
                        <CallCardItem
                          view={view}
                          call={i.call}
                          status={i.status}
                          match={i.match ?? matches.get(i.call.id)}
                          now={now.getTime()}
                        />
                      ))}
                    </ul>
                  )}
                  <nav class="pager" aria-label={view.t('search.next')}>
                    {q.cursor && <a href={withoutParam(view.url, 'cursor')}>{view.t('search.first')}</a>}
                    {result.next && (
                      <a rel="next" href={withParam(view.url, 'cursor', result.next)}>
                        {view.t('search.next')}
                      </a>
                    )}
                  </nav>
                </section>
              )}
            </>
          ),
        );
      },
    );
  };
}
