import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit, verifyToken } from '../../auth/tokens.ts';
import type { AppContext } from '../../context.ts';
import type { MessageKey } from '../i18n.ts';
import { CsrfField } from '../layout.tsx';
import { sendPage } from '../render.tsx';
import {
  clearCookie,
  cookieOptions,
  PRE_CSRF_COOKIE,
  SESSION_COOKIE,
  sessionMaxAgeSeconds,
  setCookie,
} from '../session.ts';
import { createSession, endSession } from '../session-store.ts';
import { safeReturnPath, type View } from '../view.ts';

const notices = { out: 'signIn.signedOut', failed: 'signIn.failed' } as const satisfies Record<
  string,
  MessageKey
>;

function SignInForm({ view, next, notice }: { view: View; next: string; notice?: MessageKey }) {
  const { t } = view;
  const isError = notice === 'signIn.failed';
  return (
    <section class="narrow" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t('signIn.title')}</h1>
      {notice && (
        <p class={`notice ${isError ? 'notice-error' : 'notice-info'}`} role={isError ? 'alert' : 'status'}>
          {t(notice)}
        </p>
      )}
      {!notice && next !== '/' && <p class="notice notice-info">{t('signIn.required')}</p>}
      <p>{t('signIn.intro')}</p>
      <form method="post" action="/sign-in" class="stack">
        <CsrfField view={view} />
        <input type="hidden" name="next" value={next} />
        <label for="token">{t('signIn.tokenLabel')}</label>
        <input
          id="token"
          name="token"
          type="password"
          required
          autocomplete="current-password"
          spellcheck={false}
          aria-describedby="token-hint"
          aria-invalid={isError ? 'true' : undefined}
        />
        <p id="token-hint" class="hint">
          {t('signIn.tokenHint')}
        </p>
        <button type="submit" class="primary">
          {t('signIn.button')}
        </button>
      </form>
    </section>
  );
}

/**
 * Sign-in with a token (pasted, or filled in by /static/app.js from a link's `#token=` fragment,
 * which never reaches a server or a log), and sign-out. Signing in opens a server-side session;
 * the token itself is not kept.
 */
export function signInPages(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const open = { public: true, page: true } as const;

    app.get(
      '/sign-in',
      {
        config: open,
        schema: {
          hide: true,
          querystring: z.object({ next: z.string().optional(), notice: z.string().optional() }).loose(),
        },
      },
      async (req, reply) => {
        const next = safeReturnPath(req.query.next);
        if (req.principal) return reply.redirect(next, 303);
        const notice = notices[req.query.notice as keyof typeof notices];
        return sendPage(req, reply, { title: (v) => v.t('signIn.title') }, (view) => (
          <SignInForm view={view} next={next} {...(notice ? { notice } : {})} />
        ));
      },
    );

    app.post(
      '/sign-in',
      {
        config: open,
        schema: {
          hide: true,
          body: z.object({ token: z.string().max(200), next: z.string().optional(), _csrf: z.string() }),
        },
      },
      async (req, reply) => {
        const next = safeReturnPath(req.body.next);
        const principal = verifyToken(ctx.dbh.db, req.body.token.trim());
        if (!principal) {
          return sendPage(req, reply, { title: (v) => v.t('signIn.title'), status: 401 }, (view) => (
            <SignInForm view={view} next={next} notice="signIn.failed" />
          ));
        }
        const session = createSession(ctx.dbh.db, principal.id);
        audit(ctx.dbh.db, { actor: principal.name, action: 'session.create', target: String(principal.id) });
        setCookie(reply, SESSION_COOKIE, session.cookie, cookieOptions(ctx.config, sessionMaxAgeSeconds));
        clearCookie(reply, ctx.config, PRE_CSRF_COOKIE);
        return reply.redirect(next, 303);
      },
    );

    app.post(
      '/sign-out',
      { config: { page: true }, schema: { hide: true, body: z.object({ _csrf: z.string() }).loose() } },
      async (req, reply) => {
        if (req.web?.sessionIdHash) endSession(ctx.dbh.db, req.web.sessionIdHash);
        clearCookie(reply, ctx.config, SESSION_COOKIE);
        return reply.redirect('/sign-in?notice=out', 303);
      },
    );
  };
}
