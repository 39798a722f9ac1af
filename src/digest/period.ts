import type { Cadence } from '../domain/enums.ts';
import { BERLIN, isoWeek, wallTime, zonedToInstant } from '../domain/zoned-time.ts';

/** One outbox period: a key unique per subscriber (`2026-W48` or `2026-11-25`) and its bounds. */
export interface DigestPeriod {
  key: string;
  cadence: Cadence;
  start: Date;
  end: Date;
}

const pad = (n: number) => String(n).padStart(2, '0');

function addDays(y: number, m: number, d: number, days: number) {
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/**
 * The period `now` falls in, on the Europe/Berlin calendar: the ISO week (Monday to Monday)
 * for weekly subscribers, the calendar day for daily ones.
 */
export function periodOf(cadence: Cadence, now: Date): DigestPeriod {
  const w = wallTime(now, BERLIN);
  if (cadence === 'daily') {
    const next = addDays(w.year, w.month, w.day, 1);
    return {
      key: `${w.year}-${pad(w.month)}-${pad(w.day)}`,
      cadence,
      start: zonedToInstant({ year: w.year, month: w.month, day: w.day }, BERLIN),
      end: zonedToInstant(next, BERLIN),
    };
  }
  const monday = addDays(w.year, w.month, w.day, 1 - w.weekday);
  const nextMonday = addDays(monday.year, monday.month, monday.day, 7);
  const iw = isoWeek(monday.year, monday.month, monday.day);
  return {
    key: `${iw.year}-W${pad(iw.week)}`,
    cadence,
    start: zonedToInstant(monday, BERLIN),
    end: zonedToInstant(nextMonday, BERLIN),
  };
}
