import type { Deadline } from '../domain/call.ts';
import { berlin, daysLeft, formatInZone } from '../domain/time.ts';
import type { CallCard } from './cards.ts';
import type { CallListItem } from './query.ts';

/** A deadline as clients show it: in its publishing zone and in Europe/Berlin, with days left. */
export function deadlineView(d: Deadline, now: number) {
  const ms = Date.parse(d.at);
  return {
    at: d.at,
    timeZone: d.timeZone,
    local: formatInZone(ms, d.timeZone),
    berlin: formatInZone(ms, berlin),
    daysLeft: daysLeft(ms, now),
    stage: d.stage,
    ...(d.label ? { label: d.label } : {}),
    raw: d.raw,
  };
}

/** The deadline to show: the next one ahead, else the last one. */
export function shownDeadline(call: Pick<CallCard, 'deadlines'>, now: number): Deadline | undefined {
  const sorted = [...call.deadlines].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return sorted.find((d) => Date.parse(d.at) >= now) ?? sorted.at(-1);
}

export function callHref(id: string): string {
  return `/api/calls/${encodeURIComponent(id)}`;
}

export function callSummaryView(item: CallListItem, now: number) {
  const c = item.call;
  const d = shownDeadline(c, now);
  return {
    id: c.id,
    source: c.source,
    programme: c.programme,
    identifier: c.identifier,
    title: c.title,
    summary: c.summary,
    url: c.url,
    language: c.language,
    status: item.status,
    nextDeadline: d ? deadlineView(d, now) : null,
    fundingRate: c.fundingRate,
    budget: c.budget,
    relevance: item.relevance,
    match: item.match,
    href: callHref(c.id),
  };
}
