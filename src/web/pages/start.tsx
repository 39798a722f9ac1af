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

/** A followed action field or measure, as a list filter. */
type TargetFilter = { actionField: string } | { measure: string };

/**
 * The action fields and measures a person follows: those of their own digest subscription
 * ("Mein Digest", linked to their token), else none, which lists every field. Kept apart as the
 * subscription keeps them: a field key may end in a number too ("agenda-2030").
 */
export function myTargets(
  ctx: AppContext,
  who: TokenPrincipal,
): { targets: TargetFilter[]; fromSubscriptions: boolean } {
  const own = ownSubscriber(ctx, who.id);
  if (!own?.active) return { targets: [], fromSubscriptions: false };
  const targets: TargetFilter[] = [
    ...own.actionFields.map((actionField) => ({ actionField })),
    ...own.measures.map((measure) => ({ measure })),
  ];
  return { targets, fromSubscriptions: targets.length > 0 };
}

/**
 * Calls of `query` that fit the followed targets (each queried on its own, merged), or that fit
 * anywhere when none are followed; ordered by `order`, at most `LIST_LIMIT`.
 */
function fitting(
  ctx: AppContext,
  targets: TargetFilter[],
  query: Parameters<typeof queryCalls>[1],
  now: Date,
  order: (a: CallListItem, b: CallListItem) => number,
  keep: (i: CallListItem) => boolean = () => true,
): CallListItem[] {
  const base = { ...query, minScore: 1 };
  const filters = targets.length === 0 ? [{}] : targets;
  const byId = new Map<string, CallListItem>();
  for (const filter of filters)
    for (const i of queryCalls(ctx, { ...base, ...filter }, { now }).items)
      if (keep(i)) byId.set(i.call.id, i);
  return [...byId.values()].sort(order).slice(0, LIST_LIMIT);
}

function closingSoon(ctx: AppContext, targets: TargetFilter[], now: Date): CallListItem[] {
  const from = dateInZone(now.getTime(), berlin);
  const to = dateInZone(now.getTime() + WEEKS_AHEAD * 7 * 86_400_000, berlin);
  const query = {
    status: 'open',
    deadlineFrom: from,
    deadlineTo: to,
    sort: 'deadline',
    limit: LIST_LIMIT,
  } as const;
  return fitting(
    ctx,
    targets,
    query,
    now,
    (a, b) => (a.upcomingDeadline ?? Infinity) - (b.upcomingDeadline ?? Infinity),
  );
}

/**
 * The newest calls first seen after `since` that fit (the followed targets, else anywhere) and
 * can still be applied for: what the digest would call new, not every call a crawl brought in.
 * The newest of them are shown best fit first: all are new to the reader, the fit says where to start.
 */
function newSince(ctx: AppContext, targets: TargetFilter[], since: string, now: Date): CallListItem[] {
  const query = { status: 'open,forthcoming,open-ended', sort: 'newest', limit: LIST_LIMIT } as const;
  const newest = (a: CallListItem, b: CallListItem) =>
    a.call.firstSeenAt === b.call.firstSeenAt ? 0 : a.call.firstSeenAt < b.call.firstSeenAt ? 1 : -1;
  const items = fitting(ctx, targets, query, now, newest, (i) => i.call.firstSeenAt > since);
  const best = bestMatches(
    ctx,
    items.filter((i) => !i.match).map((i) => i.call.id),
  );
  const score = (i: CallListItem) => i.match?.score ?? best.get(i.call.id)?.score ?? 0;
  return items.sort((a, b) => score(b) - score(a) || newest(a, b));
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
        const fresh = empty ? [] : newSince(ctx, mine.targets, since, now);
        const scores = bestMatches(
          ctx,
          [...soon, ...fresh].filter((i) => !i.match).map((i) => i.call.id),
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
                    <p class="hint">
                      {t(mine.fromSubscriptions ? 'start.newHintMine' : 'start.newHint')}{' '}
                      <a href="/search?sort=newest">{t('start.newAll')}</a>
                    </p>
                    {fresh.length === 0 ? (
                      <p>{t('start.newNone')}</p>
                    ) : (
                      <ul class="cards">{fresh.map(card)}</ul>
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
