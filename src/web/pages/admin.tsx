import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listTokens } from '../../auth/tokens.ts';
import type { AppContext } from '../../context.ts';
import { getActiveRuleSet } from '../../matching/service.ts';
import { sourceHealth } from '../../sources/status.ts';
import { sendPage } from '../render.tsx';
import { adminRulePages } from './admin-rules.tsx';
import { adminSourcePages } from './admin-sources.tsx';
import { adminTokenPages } from './admin-tokens.tsx';

/** Administration (role admin): an overview linking rules, tokens and sources, and those pages. */
export function adminPages(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/admin',
      { config: { page: true, role: 'admin' }, schema: { hide: true } },
      async (req, reply) => {
        const rules = getActiveRuleSet(ctx);
        const tokens = listTokens(ctx.dbh.db).filter((r) => !r.revokedAt).length;
        const sources = sourceHealth(ctx, new Date(), { schedule: false }).filter((s) => s.crawlable);
        const troubled = sources.filter((s) => s.enabled && (s.stale || s.errorStreak > 0)).length;
        return sendPage(req, reply, { title: (v) => v.t('admin.title'), current: '/admin' }, (view) => {
          const { t } = view;
          return (
            <>
              <h1>{t('admin.title')}</h1>
              <ul class="admin-links">
                <li>
                  <a href="/admin/rules">{t('rules.title')}</a>
                  <span class="muted"> – {t('admin.rulesLine', { version: rules.version })}</span>
                </li>
                <li>
                  <a href="/admin/tokens">{t('tokens.title')}</a>
                  <span class="muted"> – {t('admin.tokensLine', { n: tokens })}</span>
                </li>
                <li>
                  <a href="/admin/sources">{t('sources.title')}</a>
                  <span class="muted"> – {t('admin.sourcesLine', { n: sources.length, troubled })}</span>
                </li>
                <li>
                  <a href="/digest">{t('digest.allTitle')}</a>
                </li>
              </ul>
            </>
          );
        });
      },
    );
    await app.register(adminRulePages(ctx));
    await app.register(adminTokenPages(ctx));
    await app.register(adminSourcePages(ctx));
  };
}
