import type { CallCard } from '../calls/cards.ts';
import { shownDeadline } from '../calls/view.ts';
import type { Deadline } from '../domain/call.ts';
import type { CallStatus, Eligibility } from '../domain/enums.ts';
import { berlin, daysLeft } from '../domain/time.ts';
import type { Lang } from './i18n.ts';
import { callPagePath } from './links.ts';
import type { View } from './view.ts';

const BRUSSELS = 'Europe/Brussels';

/**
 * The zone a deadline is shown in: EU calls in Brussels time (as the portal publishes them),
 * everything else in Berlin time. The page always says which.
 */
export function shownZone(source: string): { zone: string; key: 'card.zone.brussels' | 'card.zone.berlin' } {
  return source === 'eu-ft'
    ? { zone: BRUSSELS, key: 'card.zone.brussels' }
    : { zone: berlin, key: 'card.zone.berlin' };
}

/** An instant on the administration pages (crawls, tokens, rule versions) in Berlin time, or "–". */
export function atBerlin(view: View, iso: string | null | undefined): string {
  return iso ? formatDateTime(iso, berlin, view.lang) : '–';
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** "17.09.2026, 17:00" / "17 Sept 2026, 17:00" in a zone. */
export function formatDateTime(instant: string | number, zone: string, lang: Lang, withTime = true): string {
  const key = `${lang}|${zone}|${withTime}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', {
      timeZone: zone,
      dateStyle: 'medium',
      ...(withTime ? { timeStyle: 'short' } : {}),
    });
    formatters.set(key, f);
  }
  return f.format(typeof instant === 'number' ? instant : Date.parse(instant));
}

export function DaysLeft({ view, at, now, zone }: { view: View; at: number; now: number; zone: string }) {
  const n = daysLeft(at, now, zone);
  const { t } = view;
  if (at < now) return <span class="muted">({t('card.past')})</span>;
  const text = n === 0 ? t('card.today') : n === 1 ? t('card.tomorrow') : t('card.daysLeft', { n });
  return <span class={`badge ${n <= 14 ? 'badge-warn' : 'badge-ok'}`}>{text}</span>;
}

/** A deadline with its zone named and the days left. */
export function DeadlineText({
  view,
  deadline,
  source,
  now,
}: {
  view: View;
  deadline: Deadline | undefined;
  source: string;
  now: number;
}) {
  if (!deadline) return <span>{view.t('card.noDeadline')}</span>;
  const { zone, key } = shownZone(source);
  const at = Date.parse(deadline.at);
  return (
    <span>
      <time dateTime={deadline.at}>{formatDateTime(at, zone, view.lang)}</time> ({view.t(key)}){' '}
      <DaysLeft view={view} at={at} now={now} zone={zone} />
    </span>
  );
}

export function StatusBadge({ view, status }: { view: View; status: CallStatus }) {
  const cls = status === 'closed' ? 'badge-bad' : status === 'open' ? 'badge-ok' : 'badge-warn';
  return <span class={`badge ${cls}`}>{view.t(`status.${status}`)}</span>;
}

export function EligibilityBadge({ view, eligibility }: { view: View; eligibility: Eligibility }) {
  if (eligibility === 'eligible') return null;
  const cls = eligibility === 'excluded' ? 'badge-bad' : 'badge-warn';
  return <span class={`badge ${cls}`}>{view.t(`eligibility.${eligibility}`)}</span>;
}

export interface CardMatch {
  score: number;
  eligibility: Eligibility;
  reason: string;
  reasonEn?: string | undefined;
}

/** The English reason where the match has one, else the stored German line. */
export function reasonText(view: View, m: CardMatch): string {
  return view.lang === 'en' && m.reasonEn ? m.reasonEn : m.reason;
}

/**
 * A call in a list: title (linking to the call page), programme, deadline with zone and days
 * left, status, fit score and one-line reason. `children` go at the end (feedback buttons).
 */
export function CallCardItem({
  view,
  call,
  status,
  match,
  now,
  headingLevel = 3,
  children,
}: {
  view: View;
  call: CallCard;
  status: CallStatus;
  match?: CardMatch | null | undefined;
  now: number;
  headingLevel?: 2 | 3;
  children?: preact.ComponentChildren;
}) {
  const { t } = view;
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <li class="card">
      <Heading class="card-title">
        <a href={callPagePath(call.id)}>{call.title}</a>
      </Heading>
      <p class="meta">
        {call.programme && (
          <span>
            {t('card.programme')}: {call.programme}
          </span>
        )}
        <span>
          {t('card.deadline')}:{' '}
          <DeadlineText view={view} deadline={shownDeadline(call, now)} source={call.source} now={now} />
        </span>
        <StatusBadge view={view} status={status} />
        {match && <strong class="score">{t('card.fit', { score: Math.round(match.score) })}</strong>}
        {match && <EligibilityBadge view={view} eligibility={match.eligibility} />}
      </p>
      {match && <p class="reason">{reasonText(view, match)}</p>}
      {children}
    </li>
  );
}
