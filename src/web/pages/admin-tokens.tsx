import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit, createToken, listTokens, revokeToken } from '../../auth/tokens.ts';
import type { AppContext } from '../../context.ts';
import { tokenRoles } from '../../domain/enums.ts';
import { atBerlin } from '../components.tsx';
import { CsrfField } from '../layout.tsx';
import { signInLink } from '../links.ts';
import { sendPage } from '../render.tsx';
import { HeadRow, PostButton } from '../table.tsx';
import type { View } from '../view.ts';

const admin = { page: true, role: 'admin' } as const;
type Notice = 'revoked' | 'notRevoked' | 'ownToken';

function CreatedToken({
  view,
  created,
}: {
  view: View;
  created: { name: string; token: string; link: string };
}) {
  const { t } = view;
  return (
    <section class="notice notice-ok" role="status" aria-labelledby="new-token-title">
      <h2 id="new-token-title">{t('tokens.createdTitle', { name: created.name })}</h2>
      <p>{t('tokens.createdOnce')}</p>
      <label for="new-token">{t('tokens.token')}</label>
      <input id="new-token" type="text" readonly value={created.token} class="code" />
      <label for="new-link">{t('tokens.link')}</label>
      <input id="new-link" type="text" readonly value={created.link} class="code" />
    </section>
  );
}

function TokenTable({
  view,
  selfId,
  rows,
}: {
  view: View;
  selfId: number;
  rows: ReturnType<typeof listTokens>;
}) {
  const { t } = view;
  return (
    <section aria-labelledby="list-title">
      <h2 id="list-title">{t('tokens.listTitle')}</h2>
      <table>
        <thead>
          <HeadRow
            labels={[
              t('tokens.name'),
              t('tokens.role'),
              t('tokens.created'),
              t('tokens.lastUsed'),
              t('tokens.state'),
            ]}
          />
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>{r.name}</td>
              <td>{t(`role.${r.role}`)}</td>
              <td>{atBerlin(view, r.createdAt)}</td>
              <td>{atBerlin(view, r.lastUsedAt)}</td>
              <td>
                {r.revokedAt ? (
                  t('tokens.revokedAt', { at: atBerlin(view, r.revokedAt) })
                ) : r.id === selfId ? (
                  t('tokens.yours')
                ) : (
                  <PostButton
                    view={view}
                    action={`/admin/tokens/${r.id}/revoke`}
                    name={t('tokens.revokeNamed', { name: r.name })}
                  >
                    {t('tokens.revoke')}
                  </PostButton>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Tokens: list (never the token itself), create (shown once, with its sign-in link), revoke. */
export function adminTokenPages(ctx: AppContext): FastifyPluginAsyncZod {
  function show(
    req: FastifyRequest,
    reply: FastifyReply,
    s: { created?: { name: string; token: string; link: string }; notice?: Notice; status?: number },
  ) {
    const rows = listTokens(ctx.dbh.db);
    const selfId = req.principal!.id;
    return sendPage(
      req,
      reply,
      { title: (v) => v.t('tokens.title'), current: '/admin', status: s.status ?? 200 },
      (view) => {
        const { t } = view;
        return (
          <>
            <p class="breadcrumb">
              <a href="/admin">{t('admin.title')}</a>
            </p>
            <h1>{t('tokens.title')}</h1>
            <p class="hint">{t('admin.timesBerlin')}</p>
            {s.created && <CreatedToken view={view} created={s.created} />}
            {s.notice && (
              <p
                class={`notice ${s.notice === 'revoked' ? 'notice-ok' : 'notice-error'}`}
                role={s.notice === 'revoked' ? 'status' : 'alert'}
              >
                {t(`tokens.notice.${s.notice}`)}
              </p>
            )}
            <section aria-labelledby="create-title" class="panel">
              <h2 id="create-title">{t('tokens.createTitle')}</h2>
              <form method="post" action="/admin/tokens" class="stack">
                <CsrfField view={view} />
                <label for="token-name">{t('tokens.name')}</label>
                <input
                  id="token-name"
                  name="name"
                  type="text"
                  required
                  maxlength={200}
                  aria-describedby="token-name-hint"
                />
                <p id="token-name-hint" class="hint">
                  {t('tokens.nameHint')}
                </p>
                <label for="token-role">{t('tokens.role')}</label>
                <select id="token-role" name="role">
                  {tokenRoles.map((r) => (
                    <option key={r} value={r}>
                      {t(`role.${r}`)}
                    </option>
                  ))}
                </select>
                <button type="submit" class="primary">
                  {t('tokens.create')}
                </button>
              </form>
            </section>
            <TokenTable view={view} selfId={selfId} rows={rows} />
          </>
        );
      },
    );
  }

  return async (app) => {
    app.get(
      '/admin/tokens',
      {
        config: admin,
        schema: {
          hide: true,
          querystring: z.object({ notice: z.enum(['revoked', 'notRevoked']).optional() }).loose(),
        },
      },
      async (req, reply) => show(req, reply, req.query.notice ? { notice: req.query.notice } : {}),
    );

    // The answer shows the new token once (no redirect: it is not kept anywhere to show again).
    app.post(
      '/admin/tokens',
      {
        config: admin,
        schema: {
          hide: true,
          body: z.object({
            _csrf: z.string(),
            name: z.string().trim().min(1).max(200),
            role: z.enum(tokenRoles),
          }),
        },
      },
      async (req, reply) => {
        const created = createToken(ctx.dbh.db, { name: req.body.name, role: req.body.role });
        audit(ctx.dbh.db, {
          actor: `token:${req.principal!.id}:${req.principal!.name}`,
          action: 'token.create',
          target: String(created.id),
          details: { name: created.name, role: created.role },
        });
        const link = signInLink(ctx.config.publicBaseUrl, created.token);
        return show(req, reply, { created: { name: created.name, token: created.token, link } });
      },
    );

    app.post(
      '/admin/tokens/:id/revoke',
      {
        config: admin,
        schema: {
          hide: true,
          params: z.object({ id: z.coerce.number().int().positive() }),
          body: z.object({ _csrf: z.string() }),
        },
      },
      async (req, reply) => {
        // Revoking the token one is signed in with would end this session mid-task; use the CLI.
        if (req.params.id === req.principal!.id) return show(req, reply, { notice: 'ownToken', status: 409 });
        const ok = revokeToken(ctx.dbh.db, req.params.id);
        if (ok)
          audit(ctx.dbh.db, {
            actor: `token:${req.principal!.id}:${req.principal!.name}`,
            action: 'token.revoke',
            target: String(req.params.id),
          });
        return reply.redirect(`/admin/tokens?notice=${ok ? 'revoked' : 'notRevoked'}`, 303);
      },
    );
  };
}
