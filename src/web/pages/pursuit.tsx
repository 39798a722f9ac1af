import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { conceptIndex } from '../../concept/load.ts';
import type { AppContext } from '../../context.ts';
import { pursuitStatuses } from '../../domain/enums.ts';
import { berlin } from '../../domain/time.ts';
import { canEdit } from '../../pursuits/access.ts';
import { getPursuitDetail } from '../../pursuits/get.ts';
import { changeLines } from '../../pursuits/mail.ts';
import type { PursuitDetail } from '../../pursuits/model.ts';
import { movePursuit } from '../../pursuits/move.ts';
import { addNote } from '../../pursuits/note.ts';
import { markAlertsSeen } from '../../pursuits/seen.ts';
import { legalMoves, statusLabels } from '../../pursuits/status.ts';
import { updatePursuit } from '../../pursuits/update.ts';
import { partnerChoices } from '../../pursuits/validate.ts';
import { formatDateTime } from '../components.tsx';
import { CsrfField } from '../layout.tsx';
import { callPagePath, measurePagePath } from '../links.ts';
import { sendPage } from '../render.tsx';
import type { View } from '../view.ts';
import { pursuitPagePath } from './pipeline.tsx';
import { eur, formAmount, formList, withServiceErrors } from './pipeline-parts.tsx';
import { HistoryTable } from './pursuit-history.tsx';

function MoveForm({ view, p }: { view: View; p: PursuitDetail }) {
  const { t } = view;
  const moves = legalMoves[p.status];
  const labels = statusLabels[view.lang];
  if (moves.length === 0) return <p>{t('pursuit.final')}</p>;
  return (
    <form method="post" action={`${pursuitPagePath(p.id)}/status`} class="stack">
      <CsrfField view={view} />
      {moves.includes('bewilligt') && (
        <label class="filter">
          {t('pursuit.amountGranted')}
          <input type="text" inputmode="decimal" name="amountGranted" aria-describedby="grant-hint" />
        </label>
      )}
      {moves.includes('bewilligt') && (
        <p id="grant-hint" class="hint">
          {t('pursuit.grantHint')}
        </p>
      )}
      <div class="inline-list">
        {moves.map((s) => (
          <button type="submit" name="status" value={s}>
            {t('pursuit.moveTo', { label: labels[s] })}
          </button>
        ))}
      </div>
    </form>
  );
}

function EditForm({ view, p, ctx }: { view: View; p: PursuitDetail; ctx: AppContext }) {
  const { t } = view;
  const choices = partnerChoices(ctx);
  const box = (name: string) => (
    <label class="check">
      <input type="checkbox" name="partners" value={name} checked={p.partners.includes(name)} /> {name}
    </label>
  );
  return (
    <form method="post" action={`${pursuitPagePath(p.id)}/edit`} class="stack">
      <CsrfField view={view} />
      <label class="filter">
        {t('pursuit.amountApplied')}
        <input type="text" inputmode="decimal" name="amountApplied" value={p.amountApplied ?? ''} />
      </label>
      {p.status === 'bewilligt' && (
        <label class="filter">
          {t('pursuit.amountGranted')}
          <input type="text" inputmode="decimal" name="amountGranted" value={p.amountGranted ?? ''} />
        </label>
      )}
      <fieldset class="checks">
        <legend>{t('pursuit.cities')}</legend>
        {choices.cities.map(box)}
      </fieldset>
      <fieldset class="checks">
        <legend>{t('pursuit.networks')}</legend>
        {choices.networks.map(box)}
      </fieldset>
      <label class="filter">
        {t('pursuit.partnersText')}
        <textarea name="partnersText" rows={2}>
          {p.partnersText ?? ''}
        </textarea>
      </label>
      <label class="filter">
        {t('pipeline.email')}
        <input type="email" name="ownerEmail" required value={p.owner.email} />
      </label>
      <button type="submit">{t('pursuit.save')}</button>
    </form>
  );
}

/** One pursuit: every field, the legal next moves, amounts, partners, notes, call changes, history. */
export function pursuitPages(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const config = { page: true } as const;
    const index = conceptIndex(ctx.concept.concept);
    const params = z.object({ id: z.coerce.number().int().min(1) });
    const back = (id: number) => `${pursuitPagePath(id)}?saved=1`;

    app.get(
      '/pipeline/:id',
      {
        config,
        schema: {
          hide: true,
          params,
          querystring: z.object({ created: z.string().optional(), saved: z.string().optional() }),
        },
      },
      async (req, reply) => {
        const p = getPursuitDetail(ctx, req.params.id);
        const editable = canEdit(req.principal!, p);
        const title = (v: View) => v.t('pursuit.title', { id: p.id });
        return sendPage(req, reply, { title, current: '/pipeline' }, (view) => {
          const { t } = view;
          const labels = statusLabels[view.lang];
          const when = (at: string) => formatDateTime(at, berlin, view.lang);
          return (
            <article>
              <p class="breadcrumb">
                <a href="/pipeline">{t('pipeline.title')}</a>
              </p>
              <h1>{`${title(view)}: ${p.call.title}`}</h1>
              {req.query.created && (
                <p class="notice notice-ok" role="status">
                  {t('pursuit.created')}
                </p>
              )}
              {req.query.saved && (
                <p class="notice notice-ok" role="status">
                  {t('pursuit.saved')}
                </p>
              )}
              <p class="meta">
                <span class="badge">{labels[p.status]}</span>
                {p.deadlineMissed && <span class="badge badge-bad">{t('pipeline.missed')}</span>}
                {p.unseenAlerts > 0 && (
                  <span class="badge badge-warn">{t('pipeline.unseen', { n: p.unseenAlerts })}</span>
                )}
              </p>
              <dl class="fields">
                <dt>{t('pipeline.call')}</dt>
                <dd>
                  <a href={callPagePath(p.call.id)}>{p.call.title}</a>
                  {p.call.programme && ` · ${p.call.programme}`}
                </dd>
                <dt>{t('pipeline.deadline')}</dt>
                <dd>{p.call.nextDeadline ? when(p.call.nextDeadline.at) : t('pipeline.noDeadline')}</dd>
                <dt>{t('pipeline.measures')}</dt>
                <dd>
                  <ul class="plain">
                    {p.measures.map((id) => {
                      const m = index.measures.get(id);
                      const f = m ? index.fields.get(m.actionFieldKey) : undefined;
                      return (
                        <li>
                          <a href={measurePagePath(id)}>
                            {m && f ? `${f.number}.${m.number} ${m.text}` : id}
                          </a>
                        </li>
                      );
                    })}
                  </ul>
                </dd>
                <dt>{t('pipeline.owner')}</dt>
                <dd>{`${p.owner.name} <${p.owner.email}>`}</dd>
                <dt>{t('pursuit.amountApplied')}</dt>
                <dd>{p.amountApplied === null ? '–' : eur(p.amountApplied, view.lang)}</dd>
                <dt>{t('pursuit.amountGranted')}</dt>
                <dd>{p.amountGranted === null ? '–' : eur(p.amountGranted, view.lang)}</dd>
                <dt>{t('pursuit.partners')}</dt>
                <dd>{[...p.partners, p.partnersText].filter(Boolean).join('; ') || '–'}</dd>
              </dl>

              <section aria-labelledby="move-title">
                <h2 id="move-title">{t('pursuit.move')}</h2>
                {editable ? <MoveForm view={view} p={p} /> : <p>{t('pursuit.readOnly')}</p>}
              </section>
              {editable && (
                <section aria-labelledby="edit-title">
                  <h2 id="edit-title">{t('pursuit.edit')}</h2>
                  <EditForm view={view} p={p} ctx={ctx} />
                </section>
              )}

              <section aria-labelledby="alerts-title">
                <h2 id="alerts-title">{t('pursuit.alerts')}</h2>
                {p.alerts.length === 0 ? (
                  <p>{t('pursuit.noAlerts')}</p>
                ) : (
                  <ul class="plain">
                    {p.alerts.map((a) => (
                      <li>
                        {when(a.at)}: {changeLines(a.changes, view.lang, new Date()).join('; ')}
                        {a.seenAt && <span class="muted"> ({t('pursuit.seen')})</span>}
                      </li>
                    ))}
                  </ul>
                )}
                {editable && p.unseenAlerts > 0 && (
                  <form method="post" action={`${pursuitPagePath(p.id)}/seen`}>
                    <CsrfField view={view} />
                    <button type="submit">{t('pursuit.markSeen')}</button>
                  </form>
                )}
              </section>

              <section aria-labelledby="notes-title">
                <h2 id="notes-title">{t('pursuit.notes')}</h2>
                {p.notes.length === 0 ? (
                  <p>{t('pursuit.noNotes')}</p>
                ) : (
                  <ul class="plain">
                    {p.notes.map((n) => (
                      <li>
                        <span class="muted">{`${n.author}, ${when(n.at)}: `}</span>
                        {n.text}
                      </li>
                    ))}
                  </ul>
                )}
                {editable && (
                  <form method="post" action={`${pursuitPagePath(p.id)}/notes`} class="stack">
                    <CsrfField view={view} />
                    <label class="filter">
                      {t('pursuit.noteLabel')}
                      <textarea name="text" rows={3} required />
                    </label>
                    <button type="submit">{t('pursuit.addNote')}</button>
                  </form>
                )}
              </section>

              <section aria-labelledby="history-title">
                <h2 id="history-title">{t('pursuit.history')}</h2>
                <HistoryTable view={view} index={index} history={p.history} />
              </section>
            </article>
          );
        });
      },
    );

    app.post(
      '/pipeline/:id/status',
      {
        config,
        schema: {
          hide: true,
          params,
          body: z.object({ _csrf: z.string(), status: z.enum(pursuitStatuses), amountGranted: formAmount }),
        },
      },
      async (req, reply) =>
        withServiceErrors(req, reply, () => {
          const { status, amountGranted } = req.body;
          movePursuit(ctx, req.principal!, req.params.id, {
            status,
            ...(status === 'bewilligt' && amountGranted !== undefined ? { amountGranted } : {}),
          });
          return reply.redirect(back(req.params.id), 303);
        }),
    );

    app.post(
      '/pipeline/:id/edit',
      {
        config,
        schema: {
          hide: true,
          params,
          body: z.object({
            _csrf: z.string(),
            amountApplied: formAmount,
            amountGranted: formAmount,
            partners: formList,
            partnersText: z.string().max(2000).optional(),
            ownerEmail: z.string().max(254),
          }),
        },
      },
      async (req, reply) =>
        withServiceErrors(req, reply, () => {
          const b = req.body;
          updatePursuit(ctx, req.principal!, req.params.id, {
            amountApplied: b.amountApplied ?? null,
            ...(b.amountGranted !== undefined ? { amountGranted: b.amountGranted } : {}),
            partners: b.partners,
            partnersText: b.partnersText?.trim() ? b.partnersText.trim() : null,
            ownerEmail: b.ownerEmail.trim(),
          });
          return reply.redirect(back(req.params.id), 303);
        }),
    );

    app.post(
      '/pipeline/:id/notes',
      {
        config,
        schema: { hide: true, params, body: z.object({ _csrf: z.string(), text: z.string().max(10_000) }) },
      },
      async (req, reply) =>
        withServiceErrors(req, reply, () => {
          addNote(ctx, req.principal!, req.params.id, { text: req.body.text });
          return reply.redirect(back(req.params.id), 303);
        }),
    );

    app.post(
      '/pipeline/:id/seen',
      { config, schema: { hide: true, params, body: z.object({ _csrf: z.string() }) } },
      async (req, reply) =>
        withServiceErrors(req, reply, () => {
          markAlertsSeen(ctx, req.principal!, req.params.id);
          return reply.redirect(back(req.params.id), 303);
        }),
    );
  };
}
