import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit } from '../../auth/tokens.ts';
import type { AppContext } from '../../context.ts';
import { subscriberFor, subscribeSelf, updateSubscription } from '../../digest/own-subscription.ts';
import { previewDigest } from '../../digest/preview.ts';
import { listSubscribers, type SubscriberRow } from '../../digest/subscribers.ts';
import { isAppError } from '../../errors.ts';
import { CsrfField } from '../layout.tsx';
import { sendPage } from '../render.tsx';
import type { View } from '../view.ts';
import { DigestForm, type DigestFormValues, fieldErrors, valuesOf } from './digest-form.tsx';

/** Repeated form fields arrive as a string or an array. */
const many = z.preprocess(
  (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.string().max(100)).max(600),
);
const formBody = z.object({
  _csrf: z.string(),
  name: z.string().max(400).default(''),
  email: z.string().max(400).default(''),
  language: z.string().max(10).default('de'),
  cadence: z.string().max(20).default('weekly'),
  minScore: z.string().max(20).default('40'),
  actionFields: many,
  measures: many,
});
type FormBody = z.infer<typeof formBody>;

const idParams = z.object({ id: z.coerce.number().int().positive() });
const pageQuery = z
  .object({
    subscriber: z.coerce.number().int().positive().optional(),
    notice: z.enum(['saved', 'subscribed', 'unsubscribed', 'resubscribed']).optional(),
  })
  .loose();

function input(b: FormBody) {
  const minScore = b.minScore.trim() === '' ? Number.NaN : Number(b.minScore);
  return { ...b, _csrf: undefined, minScore };
}

/** Where to go back to: the person's own page, or the administrator's view of someone else's. */
function pagePath(own: boolean, id: number, notice: string): string {
  return own ? `/digest?notice=${notice}` : `/digest?subscriber=${id}&notice=${notice}`;
}

function Preview({ view, row, subject }: { view: View; row: SubscriberRow; subject?: string }) {
  const { t } = view;
  return (
    <section aria-labelledby="preview-title" class="panel">
      <h2 id="preview-title">{t('digest.previewTitle')}</h2>
      {row.active && subject !== undefined ? (
        <PreviewBody view={view} row={row} subject={subject} />
      ) : (
        <p class="notice notice-info">{t('digest.inactive')}</p>
      )}
    </section>
  );
}

function PreviewBody({ view, row, subject }: { view: View; row: SubscriberRow; subject: string }) {
  const { t } = view;
  return (
    <>
      <p class="hint">{t('digest.previewHint')}</p>
      <p>{t('digest.previewSubject', { subject })}</p>
      <iframe
        class="digest-preview"
        src={`/digest/${row.id}/preview.html`}
        title={t('digest.previewFrame')}
        sandbox=""
      />
      <p>
        <a href={`/digest/${row.id}/preview.txt`}>{t('digest.previewText')}</a>
      </p>
    </>
  );
}

function SubscriberList({ view, rows, current }: { view: View; rows: SubscriberRow[]; current?: number }) {
  const { t } = view;
  return (
    <section aria-labelledby="all-subscribers" class="panel">
      <h2 id="all-subscribers">{t('digest.allTitle')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('digest.name')}</th>
            <th scope="col">{t('digest.email')}</th>
            <th scope="col">{t('digest.cadence')}</th>
            <th scope="col">{t('digest.state')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>
                <a href={`/digest?subscriber=${r.id}`} aria-current={r.id === current ? 'page' : undefined}>
                  {r.name}
                </a>
              </td>
              <td>{r.email}</td>
              <td>{t(r.cadence === 'daily' ? 'digest.daily' : 'digest.weekly')}</td>
              <td>{t(r.active ? 'digest.active' : 'digest.unsubscribedState')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * My digest: a person subscribes (the subscriber row is linked to their token), changes fields,
 * measures, language, cadence and minimum score, unsubscribes or subscribes again, and sees the
 * next digest as it would be sent. Administrators also list and open every subscriber.
 */
export function digestPages(ctx: AppContext): FastifyPluginAsyncZod {
  const concept = ctx.concept.concept;

  function show(
    req: FastifyRequest,
    reply: FastifyReply,
    opts: { row?: SubscriberRow; values?: DigestFormValues; errors?: Map<string, string[]>; notice?: string },
  ) {
    const principal = req.principal!;
    const { row } = opts;
    const own = !row || row.id === subscriberFor(ctx, principal)?.id;
    const status = opts.errors?.size ? 400 : 200;
    // The subject here, the digest itself in a frame (its HTML keeps the inline styles mail needs).
    const subject = row?.active ? previewDigest(ctx, row.id).subject : undefined;
    const values: DigestFormValues = opts.values ??
      (row ? valuesOf(row) : undefined) ?? {
        name: principal.name,
        email: '',
        language: req.web?.lang ?? 'de',
        cadence: 'weekly',
        minScore: '40',
        actionFields: [],
        measures: [],
      };
    return sendPage(req, reply, { title: (v) => v.t('digest.title'), current: '/digest', status }, (view) => {
      const { t } = view;
      return (
        <>
          <h1>{own ? t('digest.title') : t('digest.titleOf', { name: row?.name ?? '' })}</h1>
          {opts.notice && (
            <p class="notice notice-ok" role="status">
              {t(`digest.notice.${opts.notice}` as 'digest.notice.saved')}
            </p>
          )}
          {opts.errors?.size ? (
            <p class="notice notice-error" role="alert">
              {t('digest.invalid')}
            </p>
          ) : null}
          {row ? (
            <div class="status-line">
              <p>
                {t(row.active ? 'digest.activeSince' : 'digest.unsubscribedSince', {
                  at: (row.active ? row.createdAt : (row.unsubscribedAt ?? row.createdAt)).slice(0, 10),
                })}
              </p>
              <form method="post" action={`/digest/${row.id}/active`} class="inline-form">
                <CsrfField view={view} />
                <input type="hidden" name="active" value={row.active ? '0' : '1'} />
                <button type="submit">{t(row.active ? 'digest.unsubscribe' : 'digest.resubscribe')}</button>
              </form>
            </div>
          ) : (
            <p>{t('digest.intro')}</p>
          )}
          {/* A subscriber sees the next digest first; the settings follow. */}
          {row && <Preview view={view} row={row} {...(subject !== undefined ? { subject } : {})} />}
          {row && <h2 id="settings-title">{t('digest.settingsTitle')}</h2>}
          <DigestForm
            view={view}
            concept={concept}
            values={values}
            errors={opts.errors ?? new Map()}
            action={row ? `/digest/${row.id}` : '/digest'}
            submit={row ? 'digest.save' : 'digest.subscribe'}
          />
          {principal.role === 'admin' && (
            <SubscriberList view={view} rows={listSubscribers(ctx)} {...(row ? { current: row.id } : {})} />
          )}
        </>
      );
    });
  }

  /** Runs a change; validation and conflict errors are shown on the form with what was sent. */
  function attempt(
    req: FastifyRequest,
    reply: FastifyReply,
    body: FormBody,
    row: SubscriberRow | undefined,
    run: () => SubscriberRow,
    notice: string,
  ) {
    try {
      const saved = run();
      const own = saved.id === subscriberFor(ctx, req.principal!)?.id;
      return reply.redirect(pagePath(own, saved.id, notice), 303);
    } catch (err) {
      if (!isAppError(err) || (err.code !== 'VALIDATION_FAILED' && err.code !== 'CONFLICT')) throw err;
      const details = err.details.length
        ? err.details
        : [{ path: err.code === 'CONFLICT' ? 'email' : 'form', message: err.message }];
      const { _csrf, ...values } = body;
      return show(req, reply, { ...(row ? { row } : {}), values, errors: fieldErrors(details) });
    }
  }

  return async (app) => {
    const page = { page: true } as const;

    app.get(
      '/digest',
      { config: page, schema: { hide: true, querystring: pageQuery } },
      async (req, reply) => {
        const row = subscriberFor(ctx, req.principal!, req.query.subscriber);
        return show(req, reply, {
          ...(row ? { row } : {}),
          ...(req.query.notice ? { notice: req.query.notice } : {}),
        });
      },
    );

    app.post('/digest', { config: page, schema: { hide: true, body: formBody } }, async (req, reply) =>
      attempt(
        req,
        reply,
        req.body,
        undefined,
        () => {
          const row = subscribeSelf(ctx, req.principal!, input(req.body));
          audit(ctx.dbh.db, {
            actor: req.principal!.name,
            action: 'subscriber.create',
            target: String(row.id),
          });
          return row;
        },
        'subscribed',
      ),
    );

    app.post(
      '/digest/:id',
      { config: page, schema: { hide: true, params: idParams, body: formBody } },
      async (req, reply) => {
        const row = subscriberFor(ctx, req.principal!, req.params.id);
        return attempt(
          req,
          reply,
          req.body,
          row,
          () => {
            const { _csrf, ...patch } = input(req.body);
            const saved = updateSubscription(ctx, req.principal!, req.params.id, patch);
            audit(ctx.dbh.db, {
              actor: req.principal!.name,
              action: 'subscriber.update',
              target: String(saved.id),
            });
            return saved;
          },
          'saved',
        );
      },
    );

    app.post(
      '/digest/:id/active',
      {
        config: page,
        schema: {
          hide: true,
          params: idParams,
          body: z.object({ _csrf: z.string(), active: z.enum(['0', '1']) }),
        },
      },
      async (req, reply) => {
        const active = req.body.active === '1';
        const saved = updateSubscription(ctx, req.principal!, req.params.id, { active });
        audit(ctx.dbh.db, {
          actor: req.principal!.name,
          action: active ? 'subscriber.resubscribe' : 'subscriber.unsubscribe',
          target: String(saved.id),
        });
        const own = saved.id === subscriberFor(ctx, req.principal!)?.id;
        return reply.redirect(pagePath(own, saved.id, active ? 'resubscribed' : 'unsubscribed'), 303);
      },
    );

    // The digest's own HTML (inline styles, as mail clients need) in a sandboxed frame with its own policy.
    app.get(
      '/digest/:id/preview.html',
      { config: page, schema: { hide: true, params: idParams } },
      async (req, reply) => {
        const row = subscriberFor(ctx, req.principal!, req.params.id)!;
        const digest = previewDigest(ctx, row.id);
        return reply
          .header(
            'content-security-policy',
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'",
          )
          .type('text/html; charset=utf-8')
          .send(digest.html);
      },
    );

    app.get(
      '/digest/:id/preview.txt',
      { config: page, schema: { hide: true, params: idParams } },
      async (req, reply) => {
        const row = subscriberFor(ctx, req.principal!, req.params.id)!;
        const digest = previewDigest(ctx, row.id);
        return reply.type('text/plain; charset=utf-8').send(`Subject: ${digest.subject}\n\n${digest.text}`);
      },
    );
  };
}
