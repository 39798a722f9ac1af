import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit } from '../../auth/tokens.ts';
import type { AppContext } from '../../context.ts';
import { isAppError } from '../../errors.ts';
import { backgroundCrawls } from '../../sources/crawl-now.ts';
import { type CrawlRunRow, listCrawlRuns, type SourceHealth, sourceHealth } from '../../sources/status.ts';
import { atBerlin } from '../components.tsx';
import { sendPage } from '../render.tsx';
import { HeadRow, PostButton } from '../table.tsx';
import type { View } from '../view.ts';

const admin = { page: true, role: 'admin' } as const;
const outcomeBadge: Record<string, string> = {
  ok: 'badge-ok',
  partial: 'badge-warn',
  running: 'badge-warn',
  failed: 'badge-bad',
  blocked: 'badge-bad',
};

function Outcome({ view, run }: { view: View; run: CrawlRunRow | null }) {
  if (!run) return <span class="muted">{view.t('sources.never')}</span>;
  return (
    <span class={`badge ${outcomeBadge[run.outcome] ?? ''}`}>{view.t(`sources.outcome.${run.outcome}`)}</span>
  );
}

function Health({ view, s }: { view: View; s: SourceHealth }) {
  const { t } = view;
  if (!s.crawlable) return <span class="muted">{t('sources.notCrawled')}</span>;
  if (!s.enabled) return <span class="badge">{t('sources.disabled')}</span>;
  if (s.errorStreak > 0)
    return <span class="badge badge-bad">{t('sources.failing', { n: s.errorStreak })}</span>;
  if (s.stale) return <span class="badge badge-warn">{t('sources.stale')}</span>;
  return <span class="badge badge-ok">{t('sources.healthy')}</span>;
}

function SourceTable({ view, sources }: { view: View; sources: SourceHealth[] }) {
  const { t } = view;
  return (
    <table>
      <caption class="visually-hidden">{t('sources.healthTitle')}</caption>
      <thead>
        <HeadRow
          labels={[
            t('sources.source'),
            t('sources.health'),
            t('sources.lastRun'),
            t('sources.lastGood'),
            t('sources.calls'),
            t('sources.next'),
          ]}
          actions={t('rules.actions')}
        />
      </thead>
      <tbody>
        {sources.map((s) => (
          <tr key={s.id}>
            <th scope="row">{s.name}</th>
            <td>
              <Health view={view} s={s} />
            </td>
            <td>
              <Outcome view={view} run={s.lastRun} /> {s.lastRun && atBerlin(view, s.lastRun.startedAt)}
            </td>
            <td>{atBerlin(view, s.lastGoodRun?.finishedAt)}</td>
            <td>{s.callCount}</td>
            <td>{atBerlin(view, s.nextScheduledRun)}</td>
            <td>
              {s.crawlable && s.enabled && (
                <PostButton
                  view={view}
                  action={`/admin/sources/${encodeURIComponent(s.id)}/crawl`}
                  name={t('sources.crawlNowNamed', { name: s.name })}
                >
                  {t('sources.crawlNow')}
                </PostButton>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const triggers = ['schedule', 'cli', 'api', 'test'] as const;

/** How a crawl was started, in words. */
function triggerText(view: View, trigger: string): string {
  return (triggers as readonly string[]).includes(trigger)
    ? view.t(`sources.trigger.${trigger as (typeof triggers)[number]}`)
    : trigger;
}

function RunTable({ view, runs, names }: { view: View; runs: CrawlRunRow[]; names: Map<string, string> }) {
  const { t } = view;
  if (runs.length === 0) return <p>{t('sources.noRuns')}</p>;
  return (
    <table>
      <thead>
        <HeadRow
          labels={[
            t('sources.run'),
            t('sources.source'),
            t('sources.started'),
            t('sources.outcome'),
            t('sources.counts'),
            t('sources.firstError'),
          ]}
        />
      </thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.id}>
            <td>{r.id}</td>
            <td>{names.get(r.source) ?? r.source}</td>
            <td>
              {atBerlin(view, r.startedAt)} <span class="muted">({triggerText(view, r.trigger)})</span>
            </td>
            <td>
              <Outcome view={view} run={r} />
            </td>
            <td>
              {t('sources.countsText', {
                fetched: r.fetched,
                new: r.newCount,
                changed: r.changedCount,
                delisted: r.delistedCount,
                errors: r.errorCount,
              })}
            </td>
            <td>{r.errors?.[0]?.message ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Notice = { kind: 'started'; run: number; source: string } | { kind: 'running'; source: string };

/** Sources and crawl runs: each source's health, the recent runs, and "crawl now". */
export function adminSourcePages(ctx: AppContext): FastifyPluginAsyncZod {
  function show(req: FastifyRequest, reply: FastifyReply, notice?: Notice, status = 200) {
    const sources = sourceHealth(ctx);
    const runs = listCrawlRuns(ctx, { limit: 30 });
    const names = new Map(sources.map((s) => [s.id, s.name]));
    const nameOf = (id: string) => names.get(id) ?? id;
    return sendPage(req, reply, { title: (v) => v.t('sources.title'), current: '/admin', status }, (view) => {
      const { t } = view;
      return (
        <>
          <p class="breadcrumb">
            <a href="/admin">{t('admin.title')}</a>
          </p>
          <h1>{t('sources.title')}</h1>
          <p class="hint">{t('admin.timesBerlin')}</p>
          {notice?.kind === 'started' && (
            <p class="notice notice-ok" role="status">
              {t('sources.started.notice', { run: notice.run, source: nameOf(notice.source) })}
            </p>
          )}
          {notice?.kind === 'running' && (
            <p class="notice notice-error" role="alert">
              {t('sources.running.notice', { source: nameOf(notice.source) })}
            </p>
          )}
          <h2>{t('sources.healthTitle')}</h2>
          <SourceTable view={view} sources={sources} />
          <h2>{t('sources.runsTitle')}</h2>
          <p class="hint">{t('sources.runsHint')}</p>
          <RunTable view={view} runs={runs} names={names} />
        </>
      );
    });
  }

  return async (app) => {
    const crawls = backgroundCrawls(ctx);
    app.addHook('onClose', async () => crawls.close());

    app.get(
      '/admin/sources',
      {
        config: admin,
        schema: {
          hide: true,
          querystring: z
            .object({
              run: z.coerce.number().int().positive().optional(),
              source: z.string().max(100).optional(),
            })
            .loose(),
        },
      },
      async (req, reply) => {
        const { run, source } = req.query;
        return show(req, reply, run && source ? { kind: 'started', run, source } : undefined);
      },
    );

    app.post(
      '/admin/sources/:source/crawl',
      {
        config: admin,
        schema: {
          hide: true,
          params: z.object({ source: z.string().max(100) }),
          body: z.object({ _csrf: z.string() }),
        },
      },
      async (req, reply) => {
        const { source } = req.params;
        try {
          const run = await crawls.start(source);
          audit(ctx.dbh.db, {
            actor: `token:${req.principal!.id}:${req.principal!.name}`,
            action: 'crawl.start',
            target: source,
            details: { runId: run.id },
          });
          return reply.redirect(`/admin/sources?run=${run.id}&source=${encodeURIComponent(source)}`, 303);
        } catch (err) {
          if (isAppError(err) && err.code === 'CRAWL_RUNNING')
            return show(req, reply, { kind: 'running', source }, 409);
          throw err;
        }
      },
    );
  };
}
