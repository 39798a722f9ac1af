/**
 * Wall-clock arithmetic in a named IANA zone using only Intl (Node 20 has no Temporal). The
 * product means Europe/Berlin whenever it says "local", whatever the host's TZ.
 */
export const BERLIN = 'Europe/Berlin';

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
const weekdays: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The wall-clock time of an instant in a zone. */
export function wallTime(instant: Date, timeZone: string): WallTime {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    partsFormatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(instant).map((x) => [x.type, x.value]));
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
    weekday: weekdays[p.weekday as string] ?? 0,
  };
}

/**
 * The instant at which a zone's clock shows the given wall time. Two passes of offset
 * correction settle on the right side of a DST change (a time skipped in spring resolves to
 * the later offset).
 */
export function zonedToInstant(
  t: { year: number; month: number; day: number; hour?: number; minute?: number },
  timeZone: string,
): Date {
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour ?? 0, t.minute ?? 0);
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const w = wallTime(new Date(guess), timeZone);
    const shown = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
    guess += asUtc - shown;
  }
  return new Date(guess);
}

/** ISO 8601 week-numbering year and week of a calendar date. */
export function isoWeek(year: number, month: number, day: number): { year: number; week: number } {
  const d = new Date(Date.UTC(year, month - 1, day));
  const weekday = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  return { year: d.getUTCFullYear(), week: Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7) };
}

/** Whole calendar days from `now` to `instant`, counted on the zone's calendar (0 = today). */
export function calendarDaysUntil(instant: Date, now: Date, timeZone = BERLIN): number {
  const a = wallTime(now, timeZone);
  const b = wallTime(instant, timeZone);
  return Math.round(
    (Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000,
  );
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2027-01-14T17:00:00`: the zone's wall-clock time of an instant, without offset (for TZID= values). */
export function localDateTime(instant: Date, timeZone: string): string {
  const w = wallTime(instant, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/** `2026-11-25` for the zone's calendar date of an instant. */
export function localDate(instant: Date, timeZone = BERLIN): string {
  const w = wallTime(instant, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}
