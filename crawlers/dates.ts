/**
 * Date parsing for German, Danish and English funding pages. Dates are published in local
 * time ("15. Oktober 2025, 12:00 Uhr", "1. april 2025 kl. 12.00", "5th November 2024, 23:59 CET");
 * we return the UTC instant for an IANA zone. The offset comes from Intl for that very day, so
 * summer and winter time are right without a fixed +01:00.
 */
import { isRealWallTime, offsetMinutes, zonedTimeToUtc } from '../src/domain/time.ts';

export interface ParsedDate {
  /** The instant in UTC, ISO 8601 with Z. */
  at: string;
  /** The calendar day as published, YYYY-MM-DD. */
  date: string;
  /** False when the text gave only a day; `at` then uses the default time. */
  hasTime: boolean;
  /** IANA zone the wall time was interpreted in (UTC when the text said so). */
  timeZone: string;
  /** The matched text. */
  raw: string;
  /** Position of the match in the searched text. */
  index: number;
}

export interface DateOptions {
  /** Zone of wall times without an explicit offset, e.g. Europe/Berlin. */
  timeZone: string;
  /**
   * Time used for a day without a time. Deadlines end with the day ("23:59", the default);
   * opening dates start with it ("00:00").
   */
  defaultTime?: 'end-of-day' | 'start-of-day';
  /**
   * Collects dates that do not exist (`2027-02-30`, `2027-13-45`, `2027-05-01T25:99`): they are
   * never returned (a rolled-over day would be a wrong deadline), and the caller may warn.
   */
  rejected?: RejectedDate[];
}

/** The notice a call carries for a published date that does not exist (the crawl run logs it as a warning). */
export const invalidDateNotice = (raw: string) => `invalid-date: ${raw}`;

/** A date-shaped text that names no real day or time. */
export interface RejectedDate {
  raw: string;
  index: number;
  reason: string;
}

const months: Record<string, number> = {};
function addMonths(names: string[][]): void {
  names.forEach((variants, i) => {
    for (const v of variants) months[v] = i + 1;
  });
}
// German, Danish and English names and the abbreviations pages use (with or without a dot).
addMonths([
  ['januar', 'jan', 'jänner', 'january'],
  ['februar', 'feb', 'febr', 'february'],
  ['märz', 'maerz', 'mär', 'mrz', 'marts', 'march', 'mar'],
  ['april', 'apr'],
  ['mai', 'maj', 'may'],
  ['juni', 'jun', 'june'],
  ['juli', 'jul', 'july'],
  ['august', 'aug'],
  ['september', 'sep', 'sept'],
  ['oktober', 'okt', 'october', 'oct'],
  ['november', 'nov'],
  ['dezember', 'dez', 'december', 'dec'],
]);
const monthAlternation = Object.keys(months)
  .sort((a, b) => b.length - a.length)
  .join('|');

const ZONE_WORDS = 'cest|cet|mesz|mez|utc|gmt';

// A time after the date: ", 12:00 Uhr", " um 12 Uhr", " kl. 12.00", " at 23:59 CET", " (16:00 CET)".
const TIME_AFTER = String.raw`(?:\s*[,(–-]?\s*(?:um|bis|at|by|kl\.?|klokken|until)?\s*(?<hh>[01]?\d|2[0-3])(?:[:.](?<mi>[0-5]\d)(?![.:]?\d)(?:\s*(?<suffix>uhr|h|am|pm)\b)?|\s*(?<suffix2>uhr|h|am|pm)\b)(?:\s*\(?(?<zone>${ZONE_WORDS})\b\)?)?)?`;

const DAY_MONTH_NAME = String.raw`(?<d1>[0-3]?\d)(?:\.|st|nd|rd|th)?\s+(?:of\s+)?(?<mon1>${monthAlternation})\.?,?\s+(?<y1>\d{4})`;
const MONTH_NAME_DAY = String.raw`(?<mon2>${monthAlternation})\.?\s+(?<d2>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?<y2>\d{4})`;
const NUMERIC = String.raw`(?<d3>[0-3]?\d)\.\s?(?<m3>[01]?\d)\.\s?(?<y3>\d{4}|\d{2}(?!\d))`;
// Month, day and time take any two digits here so that `2027-13-45` or `T25:99` is seen, and
// rejected, instead of half-matched; `toParsed` checks that the day and time exist.
const ISO = String.raw`(?<y4>\d{4})-(?<m4>\d\d)-(?<d4>\d\d)(?:[T ](?<isoh>\d\d):(?<isomi>\d\d)(?::(?<isos>\d\d)(?:\.\d+)?)?(?<isoz>Z|[+-][0-2]\d:?[0-5]\d)?(?:\s*(?<isozone>${ZONE_WORDS})\b)?)?`;

const DATE_RE = new RegExp(
  String.raw`(?<![\p{L}\d])(?:${ISO}|${DAY_MONTH_NAME}|${MONTH_NAME_DAY}|${NUMERIC})(?![\p{L}\d])${TIME_AFTER}`,
  'giu',
);

/** Offset of `timeZone` from UTC at the instant `utcMs`, in minutes (Europe/Berlin in July: 120). */
export function zoneOffsetMinutes(timeZone: string, utcMs: number): number {
  return offsetMinutes(utcMs, timeZone);
}

const validDay = (y: number, m: number, d: number): boolean => isRealWallTime({ year: y, month: m, day: d });

const pad = (n: number) => String(n).padStart(2, '0');

function toParsed(
  groups: Record<string, string | undefined>,
  raw: string,
  index: number,
  options: DateOptions,
): ParsedDate | undefined {
  const g = groups;
  let y: number;
  let m: number;
  let d: number;
  if (g.y4) [y, m, d] = [Number(g.y4), Number(g.m4), Number(g.d4)];
  else if (g.y1) [y, m, d] = [Number(g.y1), months[g.mon1!.toLowerCase()]!, Number(g.d1)];
  else if (g.y2) [y, m, d] = [Number(g.y2), months[g.mon2!.toLowerCase()]!, Number(g.d2)];
  else {
    const yy = Number(g.y3);
    [y, m, d] = [g.y3!.length === 2 ? 2000 + yy : yy, Number(g.m3), Number(g.d3)];
  }
  const reject = (reason: string) => {
    options.rejected?.push({ raw: raw.trim(), index, reason });
    return undefined;
  };
  if (!validDay(y, m, d)) return reject('no such day');
  const date = `${y}-${pad(m)}-${pad(d)}`;
  if (
    g.isoh !== undefined &&
    !isRealWallTime({
      year: y,
      month: m,
      day: d,
      hour: Number(g.isoh),
      minute: Number(g.isomi),
      second: Number(g.isos ?? 0),
    })
  )
    return reject('no such time of day');

  // ISO with an explicit offset is an instant already.
  if (g.isoz) {
    const z = g.isoz === 'Z' ? 'Z' : g.isoz.replace(/^([+-]\d\d)(\d\d)$/, '$1:$2');
    const ms = Date.parse(`${date}T${g.isoh}:${g.isomi}:${g.isos ?? '00'}${z}`);
    return { at: new Date(ms).toISOString(), date, hasTime: true, timeZone: 'UTC', raw, index };
  }

  let hour: number | undefined;
  let minute = 0;
  if (g.isoh) [hour, minute] = [Number(g.isoh), Number(g.isomi)];
  else if (g.hh !== undefined) {
    // The pattern only takes a number as a time with minutes or a marker such as "Uhr", so a
    // bare number after a date ("15. Oktober 2025 3 Projekte") stays out.
    hour = Number(g.hh);
    minute = g.mi ? Number(g.mi) : 0;
    const suffix = (g.suffix ?? g.suffix2)?.toLowerCase();
    if (suffix === 'pm' && hour < 12) hour += 12;
    if (suffix === 'am' && hour === 12) hour = 0;
  }
  const zoneWord = (g.zone ?? g.isozone ?? '').toLowerCase();
  const zone = zoneWord === 'utc' || zoneWord === 'gmt' ? 'UTC' : options.timeZone;
  const hasTime = hour !== undefined;
  if (!hasTime) {
    const end = (options.defaultTime ?? 'end-of-day') === 'end-of-day';
    [hour, minute] = end ? [23, 59] : [0, 0];
  }
  // "CET"/"MEZ" on a summer date means the programme's local time, as programmes use the
  // label loosely all year; the zone's real offset for that day applies.
  const at = zonedTimeToUtc({ year: y, month: m, day: d, hour: hour!, minute }, zone).toISOString();
  return { at, date, hasTime, timeZone: zone, raw: raw.trim(), index };
}

/** Every date in `text`, in order of appearance, with its time when one follows it. */
export function findDates(text: string, options: DateOptions): ParsedDate[] {
  const out: ParsedDate[] = [];
  const normalized = text.replace(/\u00a0/g, ' ');
  for (const match of normalized.matchAll(DATE_RE)) {
    const raw = match[0].replace(/[\s,(–-]+$/, '');
    const parsed = toParsed(match.groups ?? {}, raw, match.index ?? 0, options);
    if (parsed) out.push(parsed);
  }
  return out;
}

/** A day and month that come back every year ("30.09. jeden Jahres", "jährlich zum 15. März"). */
export interface AnnualDate {
  month: number;
  day: number;
  /** The matched text, e.g. "30.09. jeden Jahres". */
  raw: string;
  index: number;
}

// Day and month without a year: "30.09." (no year may follow), "30. September", "30 September".
const DAY_MONTH = String.raw`(?<d>[0-3]?\d)(?:\.\s?(?<m>[01]?\d)\.(?!\s?\d)|(?:\.\s?|\s+)(?:of\s+)?(?<mon>${monthAlternation})\.?(?!,?\s+\d))`;
const EVERY_YEAR_AFTER = String.raw`\s+(?:(?:eines\s+)?jede[ns]?\s+(?:kalender)?jahres|(?:of\s+)?(?:each|every)\s+year|im\s+jahr)`;
const EVERY_YEAR_BEFORE = String.raw`(?:alljährlich|jährlich|jeweils|annually|each\s+year|every\s+year)\s+(?:(?:spätestens\s+)?bis\s+)?(?:zum|am|by|on)?\s*`;
const ANNUAL_RE = new RegExp(
  String.raw`(?<![\p{L}\d])(?:(?<pre>${EVERY_YEAR_BEFORE})${DAY_MONTH}|${DAY_MONTH.replaceAll('?<d>', '?<d2>').replaceAll('?<m>', '?<m2>').replaceAll('?<mon>', '?<mon2>')}(?<post>${EVERY_YEAR_AFTER}))(?![\p{L}\d])`,
  'giu',
);

/**
 * Every yearly date in `text`: a day and month without a year that the words around it make
 * recurring ("jeden Jahres", "jährlich", "jeweils", "each year"). A day and month alone is not
 * taken: without a year it could be anything.
 */
export function findAnnualDates(text: string): AnnualDate[] {
  const out: AnnualDate[] = [];
  for (const match of text.replace(/\u00a0/g, ' ').matchAll(ANNUAL_RE)) {
    const g = match.groups ?? {};
    const day = Number(g.d ?? g.d2);
    const monthName = (g.mon ?? g.mon2)?.toLowerCase();
    const month = monthName ? months[monthName]! : Number(g.m ?? g.m2);
    // 29 February would not come back every year; 2024 is a leap year, so any other valid day passes.
    if (!validDay(2023, month, day)) continue;
    out.push({ month, day, raw: match[0].trim(), index: match.index ?? 0 });
  }
  return out;
}

/** The first date in `text`, or undefined when there is none. */
export function parseDate(text: string, options: DateOptions): ParsedDate | undefined {
  return findDates(text, options)[0];
}

/** Day-only form of an instant in a zone, e.g. for display and tests: "2025-04-01 23:59". */
export function formatInZone(iso: string, timeZone: string): string {
  const ms = Date.parse(iso);
  const local = new Date(ms + zoneOffsetMinutes(timeZone, ms) * 60_000);
  return `${local.toISOString().slice(0, 10)} ${local.toISOString().slice(11, 16)}`;
}
