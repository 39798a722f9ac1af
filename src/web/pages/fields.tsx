import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getCallCards } from '../../calls/cards.ts';
import { conceptIndex } from '../../concept/load.ts';
import type { ActionField } from '../../concept/schema.ts';
import type { AppContext } from '../../context.ts';
import { verdicts } from '../../domain/enums.ts';
import { AppError } from '../../errors.ts';
import { saveFeedback } from '../../matches/feedback.ts';
import { listTargetMatches, type TargetMatchItem } from '../../matches/list.ts';
import { CallCardItem } from '../components.tsx';
import { CsrfField } from '../layout.tsx';
import { fieldPagePath, measurePagePath } from '../links.ts';
import { sendPage } from '../render.tsx';
import { safeReturnPath, type View, withParam } from '../view.ts';
import { feedParams } from './exports.tsx';
import { AddToPipeline, ownerDefaults } from './pipeline-parts.tsx';

function FeedbackButtons({ view, item, target }: { view: View; item: TargetMatchItem; target: string }) {
  const { t } = view;
  const label = t('feedback.for', { title: item.call.title });
  return (
    <form method="post" action="/feedback" class="feedback">
      <CsrfField view={view} />
      <input type="hidden" name="callId" value={item.call.id} />
      <input type="hidden" name="target" value={target} />
      <input type="hidden" name="back" value={view.url} />
      {item.myVerdict === 'relevant' && <span class="badge badge-ok">{t('feedback.mine')}</span>}
      <button type="submit" name="verdict" value="relevant" aria-label={`${t('feedback.relevant')} ${label}`}>
        {t('feedback.relevant')}
      </button>
      <button
        type="submit"
        name="verdict"
        value="not_relevant"
        aria-label={`${t('feedback.notRelevant')} ${label}`}
      >
        {t('feedback.notRelevant')}
      </button>
    </form>
  );
}

/** Ranked calls of one target with reasons, feedback buttons, exports and paging. */
function RankedCalls({
  view,
  target,
  selection,
  result,
  cursor,
  owner,
}: {
  view: View;
  target: string;
  selection: { actionField?: string; measure?: string };
  result: ReturnType<typeof listTargetMatches>;
  cursor: string | undefined;
  /** On a measure's page: each call can be added to the pipeline. */
  owner?: { email: string; language: 'de' | 'en' };
}) {
  const { t } = view;
  const now = Date.now();
  const params = feedParams(selection);
  const csvParams = new URLSearchParams({ ...selection, minScore: '1' }).toString();
  return (
    <>
      <section aria-labelledby="export-title" class="panel exports">
        <h2 id="export-title">{t('field.export')}</h2>
        <ul class="inline-list">
          <li>
            <a href={`/export/calls.csv?${csvParams}`}>{t('field.csv')}</a>
          </li>
          <li>
            <a href={`/export/calendar.ics?${params}`}>{t('field.ics')}</a>
          </li>
        </ul>
        <form method="post" action="/export/subscription" class="stack">
          <CsrfField view={view} />
          {selection.actionField && <input type="hidden" name="actionField" value={selection.actionField} />}
          {selection.measure && <input type="hidden" name="measure" value={selection.measure} />}
          <input type="hidden" name="back" value={view.url} />
          <button type="submit" aria-describedby="subscribe-hint">
            {t('field.icsSubscribe')}
          </button>
          <p id="subscribe-hint" class="hint">
            {t('field.icsSubscribeHint')}
          </p>
        </form>
      </section>
      <section aria-labelledby="calls-title">
        <h2 id="calls-title">{t('field.calls')}</h2>
        {result.items.length === 0 ? (
          <p>{t('field.none')}</p>
        ) : (
          <ol class="cards">
            {result.items.map((i) => (
              <CallCardItem
                view={view}
                call={i.call}
                status={i.status}
                match={{
                  score: i.match.score,
                  eligibility: i.match.eligibility,
                  reason: i.match.reason,
                  reasonEn: i.match.reasonEn || undefined,
                }}
                now={now}
              >
                <FeedbackButtons view={view} item={i} target={target} />
                {owner && selection.measure && (
                  <AddToPipeline
                    view={view}
                    callId={i.call.id}
                    title={i.call.title}
                    measures={[selection.measure]}
                    owner={owner}
                  />
                )}
              </CallCardItem>
            ))}
          </ol>
        )}
        <nav class="pager" aria-label={t('search.next')}>
          {cursor && <a href={view.url.split('?')[0]}>{t('search.first')}</a>}
          {result.next && (
            <a rel="next" href={withParam(view.url, 'cursor', result.next)}>
              {t('search.next')}
            </a>
          )}
        </nav>
      </section>
    </>
  );
}

function SavedNotice({
  view,
  ctx,
  saved,
  call,
}: {
  view: View;
  ctx: AppContext;
  saved?: string;
  call?: string;
}) {
  if (!call || (saved !== 'relevant' && saved !== 'not_relevant')) return null;
  const card = getCallCards(ctx.dbh.sqlite, [call])[0];
  if (!card) return null;
  return (
    <p class="notice notice-ok" role="status">
      {view.t(`feedback.saved.${saved}`, { title: card.title })}
    </p>
  );
}

const listQuery = z
  .object({
    cursor: z.string().max(300).optional(),
    saved: z.string().optional(),
    call: z.string().optional(),
  })
  .loose();

function fieldHeading(f: ActionField, view: View): string {
  return view.t('field.ofField', { n: f.number, name: f.name });
}

/** The concept's action fields and measures, each with its ranked calls and feedback. */
export function fieldPages(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const config = { page: true } as const;
    const concept = ctx.concept.concept;
    const index = conceptIndex(concept);

    app.get('/fields', { config, schema: { hide: true } }, async (req, reply) =>
      sendPage(req, reply, { title: (v) => v.t('fields.title'), current: '/fields' }, (view) => (
        <>
          <h1>{view.t('fields.title')}</h1>
          <p>{view.t('fields.intro', { doc: concept.document.title })}</p>
          <ol class="field-list">
            {concept.actionFields.map((f) => (
              <li>
                <h2>
                  <a href={fieldPagePath(f.key)}>{fieldHeading(f, view)}</a>
                </h2>
                <ul>
                  {f.measures.map((m) => (
                    <li>
                      <a href={measurePagePath(m.id)}>
                        {f.number}.{m.number}
                      </a>{' '}
                      {m.text}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        </>
      )),
    );

    const ranked = (req: FastifyRequest, target: string, cursor: string | undefined) =>
      listTargetMatches(
        ctx,
        target,
        { limit: 20, ...(cursor ? { cursor } : {}) },
        { tokenId: req.principal!.id },
      );

    app.get(
      '/fields/:key',
      {
        config,
        schema: { hide: true, params: z.object({ key: z.string().max(100) }), querystring: listQuery },
      },
      async (req, reply) => {
        const f = index.fields.get(req.params.key);
        if (!f) throw new AppError('NOT_FOUND', 'no such action field');
        const result = ranked(req, f.key, req.query.cursor);
        return sendPage(req, reply, { title: (v) => fieldHeading(f, v), current: '/fields' }, (view) => (
          <>
            <h1>{fieldHeading(f, view)}</h1>
            <SavedNotice view={view} ctx={ctx} saved={req.query.saved} call={req.query.call} />
            <p class="concept-text">{f.description}</p>
            {f.goalReference && (
              <p>
                <strong>{view.t('field.goal')}:</strong> {f.goalReference}
              </p>
            )}
            <details>
              <summary>{view.t('field.measures')}</summary>
              <ul>
                {f.measures.map((m) => (
                  <li>
                    <a href={measurePagePath(m.id)}>
                      {f.number}.{m.number}
                    </a>{' '}
                    {m.text}
                  </li>
                ))}
              </ul>
            </details>
            <RankedCalls
              view={view}
              target={f.key}
              selection={{ actionField: f.key }}
              result={result}
              cursor={req.query.cursor}
            />
          </>
        ));
      },
    );

    app.get(
      '/measures/:id',
      {
        config,
        schema: { hide: true, params: z.object({ id: z.string().max(100) }), querystring: listQuery },
      },
      async (req, reply) => {
        const m = index.measures.get(req.params.id);
        if (!m) throw new AppError('NOT_FOUND', 'no such measure');
        const f = index.fields.get(m.actionFieldKey)!;
        const result = ranked(req, m.id, req.query.cursor);
        const title = (v: View) => `${v.t('measure.title', { id: `${f.number}.${m.number}` })}`;
        return sendPage(req, reply, { title, current: '/fields' }, (view) => (
          <>
            <p class="breadcrumb">
              <a href={fieldPagePath(f.key)}>{fieldHeading(f, view)}</a>
            </p>
            <h1>{title(view)}</h1>
            <SavedNotice view={view} ctx={ctx} saved={req.query.saved} call={req.query.call} />
            <p class="concept-text">{m.text}</p>
            <RankedCalls
              view={view}
              target={m.id}
              selection={{ measure: m.id }}
              result={result}
              cursor={req.query.cursor}
              owner={ownerDefaults(ctx, view)}
            />
          </>
        ));
      },
    );

    // The feedback API's service, from a form: post, then back to the list (post/redirect/get).
    app.post(
      '/feedback',
      {
        config,
        schema: {
          hide: true,
          body: z.object({
            _csrf: z.string(),
            callId: z.string().min(1).max(300),
            target: z.string().min(1).max(100),
            verdict: z.enum(verdicts),
            back: z.string().max(2000).optional(),
          }),
        },
      },
      async (req, reply) => {
        saveFeedback(ctx, req.principal!, {
          callId: req.body.callId,
          target: req.body.target,
          verdict: req.body.verdict,
        });
        const back = new URL(safeReturnPath(req.body.back), 'http://x');
        back.searchParams.delete('cursor');
        back.searchParams.set('saved', req.body.verdict);
        back.searchParams.set('call', req.body.callId);
        return reply.redirect(`${back.pathname}${back.search}`, 303);
      },
    );
  };
}
