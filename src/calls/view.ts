import type { Deadline } from '../domain/call.ts';
import { berlin, dateInZone, formatInZone } from '../domain/time.ts';
import type { CallCard } from './cards.ts';

export interface DeadlineView {
  at: string;
  timeZone: string;
  local: string;
  berlin: string;
  daysLeft: number;
  stage: Deadline['stage'];
  label?: string;
  raw: string;
}

/** Whole days since 1970-01-01 of the Berlin calendar day of an instant. */
export const berlinDayNumber = (ms: number) => Date.parse(`${dateInZone(ms, berlin)}T00:00:00Z`) / 86_400_000;

/** The Berlin day of `now`, per quarter hour (Berlin's days start on a full hour, so a quarter never spans two). */
let quarter = { at: Number.NaN, day: 0 };
export function berlinToday(now: number): number {
  const q = Math.floor(now / 900_000);
  if (q !== quarter.at) quarter = { at: q, day: berlinDayNumber(now) };
  return quarter.day;
}

/** A deadline as clients show it: in its publishing zone and in Europe/Berlin, with days left. */
export function deadlineView(d: Deadline, now: number, ms = Date.parse(d.at)): DeadlineView {
  return {
    at: d.at,
    timeZone: d.timeZone,
    local: formatInZone(ms, d.timeZone),
    berlin: formatInZone(ms, berlin),
    daysLeft: berlinDayNumber(ms) - berlinToday(now),
    stage: d.stage,
    ...(d.label ? { label: d.label } : {}),
    raw: d.raw,
  };
}

/** Index of the deadline to show among instants `ms`: the next one ahead, else the last one; -1 for none. */
export function shownDeadlineIndex(ms: readonly number[], now: number): number {
  let next = -1;
  let last = -1;
  for (let i = 0; i < ms.length; i++) {
    const at = ms[i]!;
    if (at >= now && (next < 0 || at < ms[next]!)) next = i;
    if (last < 0 || at >= ms[last]!) last = i;
  }
  return next >= 0 ? next : last;
}

/** The deadline to show: the next one ahead, else the last one. */
export function shownDeadline(call: Pick<CallCard, 'deadlines'>, now: number): Deadline | undefined {
  return call.deadlines[
    shownDeadlineIndex(
      call.deadlines.map((d) => Date.parse(d.at)),
      now,
    )
  ];
}

export function callHref(id: string): string {
  return `/api/calls/${encodeURIComponent(id)}`;
}
