/**
 * Time-zone arithmetic on top of Intl (no extra library): deadlines are stored as UTC instants
 * and shown in the zone they were published in and in Europe/Berlin.
 */
export const berlin = 'Europe/Berlin';

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Offset of a zone from UTC at an instant, in minutes (Berlin in summer: 120), from Intl. */
function offsetFromIntl(ms: number, timeZone: string): number {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

// Offsets only change at transitions, which fall on the quarter hour: cache per zone and quarter.
const offsets = new Map<string, number>();

/** Offset of a zone from UTC at an instant, in minutes (Berlin in summer: 120). */
export function offsetMinutes(ms: number, timeZone: string): number {
  const key = `${timeZone}|${Math.floor(ms / 900_000)}`;
  let off = offsets.get(key);
  if (off === undefined) {
    if (offsets.size > 100_000) offsets.clear();
    off = offsetFromIntl(ms, timeZone);
    offsets.set(key, off);
  }
  return off;
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
}

/**
 * Whether a calendar date and time exists: built into a date and read back, every component is
 * unchanged. `2027-02-30` (would become 2 March), `2027-13-45` and `25:99` do not exist.
 */
export function isRealWallTime(p: WallTime): boolean {
  const { year, month, day, hour = 0, minute = 0, second = 0 } = p;
  if (![year, month, day, hour, minute, second].every(Number.isInteger)) return false;
  const d = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  d.setUTCFullYear(year); // Date.UTC maps years 0–99 to 1900–1999
  return (
    d.getUTCFullYear() === year &&
    d.getUTCMonth() === month - 1 &&
    d.getUTCDate() === day &&
    d.getUTCHours() === hour &&
    d.getUTCMinutes() === minute &&
    d.getUTCSeconds() === second
  );
}

/**
 * The UTC instant of a wall-clock time in a zone (e.g. 17:00 Europe/Brussels), correct across
 * daylight-saving changes: the offset is taken at the instant itself, found in two steps.
 * Throws a RangeError for a time that does not exist rather than rolling it over into another day.
 */
export function zonedTimeToUtc(
  parts: { year: number; month: number; day: number; hour: number; minute: number },
  timeZone: string,
): Date {
  if (!isRealWallTime(parts)) throw new RangeError(`not a real date and time: ${JSON.stringify(parts)}`);
  const guess = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute);
  const first = guess - offsetMinutes(guess, timeZone) * 60_000;
  return new Date(guess - offsetMinutes(first, timeZone) * 60_000);
}

/** Wall-clock parts of an instant in a zone. */
function wallClock(ms: number, timeZone: string) {
  const d = new Date(ms + offsetMinutes(ms, timeZone) * 60_000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');

/** ISO 8601 local time with offset: `2026-09-17T17:00:00+02:00`. */
export function formatInZone(instant: string | number, timeZone: string): string {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  const w = wallClock(ms, timeZone);
  const off = offsetMinutes(ms, timeZone);
  const sign = off < 0 ? '-' : '+';
  return (
    `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}` +
    `${sign}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`
  );
}

/** The calendar date `YYYY-MM-DD` of an instant in a zone. */
export function dateInZone(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** The instant a calendar day starts in a zone (`2026-03-29` in Berlin → 2026-03-28T23:00Z). */
export function startOfDay(date: string, timeZone: string): number {
  const guess = Date.parse(`${date}T00:00:00Z`);
  // Two passes settle the offset also on days the clocks change.
  let ms = guess - offsetMinutes(guess, timeZone) * 60_000;
  ms = guess - offsetMinutes(ms, timeZone) * 60_000;
  return ms;
}

/** Whole calendar days from `now` to the deadline in a zone: 0 = today, 1 = tomorrow, negative = past. */
export function daysLeft(deadlineMs: number, nowMs: number, timeZone: string = berlin): number {
  const a = Date.parse(`${dateInZone(nowMs, timeZone)}T00:00:00Z`);
  const b = Date.parse(`${dateInZone(deadlineMs, timeZone)}T00:00:00Z`);
  return Math.round((b - a) / 86_400_000);
}
