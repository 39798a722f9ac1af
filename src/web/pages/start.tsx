import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit, type TokenPrincipal } from '../../auth/tokens.ts';
import { type CallListItem, queryCalls } from '../../calls/query.ts';
import type { AppContext } from '../../context.ts';
import { callCount, loadDemo } from '../../demo/load.ts';
import { ownSubscriber } from '../../digest/own-subscription.ts';
import { berlin, dateInZone } from '../../domain/time.ts';
import { type SourceHealth, sourceHealth } from '../../sources/status.ts';
import { CallCardItem, formatDateTime } from '../components.tsx';
import { CsrfField } from '../layout.tsx';
import { sendPage } from '../render.tsx';
import type { View } from '../view.ts';
import { bestMatches } from './search.tsx';

const WEEKS_AHEAD = 8;
const FIRST_VISIT_DAYS = 14;
const LIST_LIMIT = 10;

/**
 * The action fields and measures a person follows: those of their own digest subscription
 * ("Mein Digest", linked to their token), else none, which lists every field.
 */
export function myTargets(
  ctx: AppContext,
  who: TokenPrincipal,
): { targets: string[]; fromSubscriptions: boolean } {
  const own = ownSubscriber(ctx, who.id);
  if (!own?.active) return { targets: [], fromSubscriptions: false };
  const targets = [...own.actionFields, ...own.measures];
  return { targets, fromSubscriptions: targets.length > 0 };
}

function closingSoon(ctx: AppContext, targets: string[], now: Date): CallListItem[] {
  const from = dateInZone(now.getTime(), berlin);
  const to = dateInZone(now.getTime() + WEEKS_AHEAD * 7 * 86_400_000, berlin);
  const base = {
    status: 'open',
    deadlineFrom: from,
    deadlineTo: to,
    sort: 'deadline',
    limit: LIST_LIMIT,
  } as const;
  if (targets.length === 0) return queryCalls(ctx, { ...base, minScore: 1 }, { now }).items;
  const byId = new Map<string, CallListItem>();
  for (const target of targets) {
    const filter = target.match(/-\d+$/) ? { measure: target } : { actionField: target };
    for (const i of queryCalls(ctx, { ...base, ...filter, minScore: 1 }, { now }).items)
      byId.set(i.call.id, i);
  }
  return [...byId.values()]
    .sort((a, b) => (a.upcomingDeadline ?? Infinity) - (b.upcomingDeadline ?? Infinity))
    .slice(0, LIST_LIMIT);
}

function newSince(ctx: AppContext, since: string, now: Date): { items: CallListItem[]; total: number } {
  const total = ctx.dbh.sqlite
    .prepare('select count(*) from calls where first_seen_at > ?')
    .pluck()
    .get(since) as number;
  const newest = queryCalls(ctx, { sort: 'newest', limit: LIST_LIMIT }, { now }).items;
  return { items: newest.filter((i) => i.call.firstSeenAt > since), total };
}

function SourceLine({ view, s }: { view: View; s: SourceHealth }) {
  const { t } = view;
  const hours = s.lastGoodAgeHours === null ? null : Math.round(s.lastGoodAgeHours);
  let text: string;
  let cls = 'badge-ok';
  if (s.errorStreak > 0 && s.crawlable) {
    text = t('start.sourceFailed', { name: s.name, n: s.errorStreak });
    cls = 'badge-bad';
  } else if (s.stale && hours !== null) {
    text = t('start.sourceStale', { name: s.name, hours });
    cls = 'badge-warn';
  } else if (hours === null) {
    text = t('start.sourceNever', { name: s.name, count: s.callCount });
    cls = s.crawlable ? 'badge-warn' : 'badge-ok';
  } else {
    text = t('start.sourceOk', { name: s.name, hours, count: s.callCount });
  }
  return (
    <li>
      <span class={`dot ${cls}`} aria-hidden="true">
        ●
      </span>{' '}
      {text}
    </li>
  );
}

function EmptyStart({ view }: { view: View }) {
  const { t } = view;
  const admin = view.principal?.role === 'admin';
  return (
    <section class="panel" aria-labelledby="empty-title">
      <h2 id="empty-title">{t('start.empty')}</h2>
      {admin ? (
        <>
          <p>{t('start.emptyHow')}</p>
          <ol>
            <li>
              <p>{t('start.emptyDemo')}</p>
              <form method="post" action="/demo">
                <CsrfField view={view} />
                <button type="submit" class="primary">
                  {t('start.demoButton')}
                </button>
              </form>
              <p class="hint">{t('start.emptyDemoCli')}</p>
            </li>
            <li>{t('start.emptyCrawl')}</li>
          </ol>
        </>
      ) : (
        <p>{t('start.emptyAskAdmin')}</p>
      )}
    </section>
  );
}

/** The start page: what needs attention now, for the signed-in person. */
export function startPages(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/',
      {
        config: { page: true },
        schema: { hide: true, querystring: z.object({ demo: z.string().optional() }).loose() },
      },
      async (req, reply) => {
        const now = new Date();
        const who = req.principal!;
        const empty = callCount(ctx) === 0;
        const mine = myTargets(ctx, who);
        const soon = empty ? [] : closingSoon(ctx, mine.targets, now);
        const since =
          req.web?.previousVisitAt ?? new Date(now.getTime() - FIRST_VISIT_DAYS * 86_400_000).toISOString();
        const fresh = empty ? { items: [], total: 0 } : newSince(ctx, since, now);
        const scores = bestMatches(
          ctx,
          [...soon, ...fresh.items].filter((i) => !i.match).map((i) => i.call.id),
        );
        const sources = sourceHealth(ctx, now, { schedule: false }).filter(
          (s) => s.crawlable || s.callCount > 0,
        );
        const loaded = Number(req.query.demo);
        return sendPage(req, reply, { title: (v) => v.t('start.title'), current: '/' }, (view) => {
          const { t } = view;
          const card = (i: CallListItem) => (
            <CallCardItem
              view={view}
              call={i.call}
              status={i.status}
              match={i.match ?? scores.get(i.call.id)}
              now={now.getTime()}
            />
          );
          // Administrators look after the sources: their health comes first; readers see calls first.
          const admin = who.role === 'admin';
          const health = (
            <section aria-labelledby="sources-title">
              <h2 id="sources-title">{t('start.sources')}</h2>
              <ul class="plain sources">
                {sources.map((s) => (
                  <SourceLine view={view} s={s} />
                ))}
              </ul>
            </section>
          );
          return (
            <>
              <h1>{t('start.welcome', { name: who.name })}</h1>
              {Number.isInteger(loaded) && loaded > 0 && (
                <p class="notice notice-ok" role="status">
                  {t('start.demoLoaded', { n: loaded })}
                </p>
              )}
              {admin && !empty && health}
              {empty ? (
                <EmptyStart view={view} />
              ) : (
                <>
                  <section aria-labelledby="soon-title">
                    <h2 id="soon-title">
                      {t(mine.fromSubscriptions ? 'start.closingSoonMine' : 'start.closingSoon')}
                    </h2>
                    <p class="hint">
                      {t(mine.fromSubscriptions ? 'start.mySubscriptions' : 'start.allFields')}
                    </p>
                    {soon.length === 0 ? (
                      <p>{t('start.closingSoonNone')}</p>
                    ) : (
                      <ul class="cards">{soon.map(card)}</ul>
                    )}
                  </section>
                  <section aria-labelledby="new-title">
                    <h2 id="new-title">
                      {req.web?.previousVisitAt
                        ? t('start.newSince', { date: formatDateTime(since, berlin, view.lang) })
                        : t('start.newFirst')}
                    </h2>
                    {fresh.items.length === 0 ? (
                      <p>{t('start.newNone')}</p>
                    ) : (
                      <>
                        <p class="hint">{t('search.results', { n: fresh.total })}</p>
                        <ul class="cards">{fresh.items.map(card)}</ul>
                      </>
                    )}
                  </section>
                </>
              )}
              {(!admin || empty) && health}
            </>
          );
        });
      },
    );

    // Demo data on request only: an administrator's button on the empty start page.
    app.post(
      '/demo',
      {
        config: { page: true, role: 'admin' },
        schema: { hide: true, body: z.object({ _csrf: z.string() }) },
      },
      async (req, reply) => {
        const r = loadDemo(ctx);
        const who = req.principal!;
        audit(ctx.dbh.db, { actor: `token:${who.id}:${who.name}`, action: 'demo.load', details: r });
        return reply.redirect(`/?demo=${r.imported}`, 303);
      },
    );
  };
}
