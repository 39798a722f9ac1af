/**
 * Tells apart the dates in running text: opening, deadline (with its stage) or something else
 * (project start, committee decision). The words just before a date decide.
 */
import type { Deadline } from '../src/domain/call.ts';
import { type DateOptions, findAnnualDates, findDates, type ParsedDate } from './dates.ts';
import { stageFromLabel } from './facts.ts';
import { zonedTimeToUtc } from './text.ts';

export type DateKind = 'opening' | 'deadline' | 'other';

/** Whole words, also for umlauts (JS `\b` only knows ASCII letters). */
const words = (alternatives: string) => new RegExp(`(?<!\\p{L})(?:${alternatives})(?!\\p{L})`, 'giu');

const OPENING = words(
  'opens?|opening|open from|launch(?:es|ed)?|öffnet|öffnung|geöffnet|ab dem|ab|åbner|starts? accepting',
);
const DEADLINE = words(
  'deadline|closes?|closing|until|by|bis(?: zum)?|frist(?:en)?|antragsfrist(?:en)?|einreich\\p{L}*|submit\\p{L}*|submission|spätestens|ansøgningsfrist|senest|inden',
);
const OTHER = words(
  'decid\\p{L}*|decision|entscheid\\p{L}*|beschl\\p{L}*|projektbeginn|projektende|laufzeit|frühestens|start of projects?|projects? (?:start|end)|published|veröffentlicht|selected|approved|bewilligt|event|veranstaltung|webinar',
);

function lastIndex(re: RegExp, text: string): number {
  let last = -1;
  for (const m of text.matchAll(re)) last = m.index ?? last;
  return last;
}

export interface ClassifiedDate {
  date: ParsedDate;
  kind: DateKind;
  /** For deadlines: the stage and the words that named it. */
  stage?: Deadline['stage'];
  label?: string;
}

/** Where the clause before a date starts: the previous date, a line break or a sentence end. */
function clauseStart(text: string, index: number, prevEnd: number): number {
  const before = text.slice(prevEnd, index);
  // A sentence ends at ".!?;" after a word (not the dot of "1. April" or "Mio.") or at a line break.
  let start = prevEnd;
  for (const m of before.matchAll(/(?:\p{Ll}{4}|\))[.!?;]\s+|\n/gu))
    start = prevEnd + (m.index ?? 0) + m[0].length;
  return start;
}

/**
 * Classifies each date in `text`. `fallback` is the kind of a date with no telling words
 * before it (a date in a list under "Antragsfristen" is a deadline).
 */
export function classifyDates(
  text: string,
  options: DateOptions & { fallback?: DateKind },
): ClassifiedDate[] {
  const dates = findDates(text, options);
  const out: ClassifiedDate[] = [];
  let prevEnd = 0;
  for (const date of dates) {
    const clause = text.slice(clauseStart(text, date.index, prevEnd), date.index);
    prevEnd = date.index + date.raw.length;
    let kind: DateKind;
    if (lastIndex(OTHER, clause) >= 0) kind = 'other';
    else {
      const open = lastIndex(OPENING, clause);
      const dead = lastIndex(DEADLINE, clause);
      kind = open < 0 && dead < 0 ? (options.fallback ?? 'other') : open > dead ? 'opening' : 'deadline';
    }
    if (kind !== 'deadline') {
      out.push({ date, kind });
      continue;
    }
    const named = stageFromLabel(clause);
    out.push({ date, kind, stage: named?.stage ?? 'single', ...(named ? { label: named.label } : {}) });
  }
  return out;
}

/** Deadlines in the call's shape, in time order, one per instant. */
export function toDeadlines(classified: readonly ClassifiedDate[]): Deadline[] {
  const seen = new Set<string>();
  const out: Deadline[] = [];
  for (const c of classified) {
    if (c.kind !== 'deadline' || seen.has(c.date.at)) continue;
    seen.add(c.date.at);
    out.push({
      at: c.date.at,
      timeZone: c.date.timeZone,
      raw: c.date.raw,
      stage: c.stage ?? 'single',
      ...(c.label ? { label: c.label } : {}),
    });
  }
  out.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  // A lone deadline "for applications" belongs to a one-step call.
  const only = out.length === 1 ? out[0] : undefined;
  if (
    only?.stage === 'full-application' &&
    /^(?:applications?|anträge?|ansøgning)$/i.test(only.label ?? '')
  ) {
    only.stage = 'single';
  }
  return out;
}

/** The first opening date, as the start of that day when no time was given. */
export function toOpening(classified: readonly ClassifiedDate[]): string | undefined {
  const first = classified.find((c) => c.kind === 'opening')?.date;
  if (!first) return undefined;
  if (first.hasTime) return first.at;
  const [y, m, d] = first.date.split('-').map(Number) as [number, number, number];
  return zonedTimeToUtc({ year: y, month: m, day: d, hour: 0, minute: 0 }, first.timeZone).toISOString();
}

/** "bis 2027", "bis Ende 2027", "until 2027": the last year of a yearly deadline. */
const UNTIL_YEAR =
  /(?<![\p{L}\d.])(?:bis|until)\s+(?:(?:zum\s+)?ende\s+|the\s+end\s+of\s+)?(?<y>20\d\d)(?![\d.])/giu;

/**
 * Yearly deadlines ("spätestens bis zum 30.09. jeden Jahres", "jährlich bis zum 15. März") as
 * their next date from `now`, at the end of that day in `timeZone`. A sentence that also ends the
 * programme with a year ("einen Förderantrag bis 2027 und dabei spätestens bis zum 30.09. jeden
 * Jahres") caps it: past that year the last one is returned, now in the past, so the call reads
 * closed instead of open for ever. Only dates the words before them make a deadline count.
 */
export function annualDeadlines(text: string, options: { timeZone: string; now: Date }): Deadline[] {
  const out: Deadline[] = [];
  let prevEnd = 0;
  for (const a of findAnnualDates(text)) {
    const start = clauseStart(text, a.index, prevEnd);
    prevEnd = a.index + a.raw.length;
    const clause = text.slice(start, prevEnd);
    if (lastIndex(OTHER, clause) >= 0 || lastIndex(DEADLINE, clause) < 0) continue;
    // The sentence around the date: from the clause start to the next sentence end.
    const rest = text.slice(prevEnd);
    const end = rest.search(/(?:\p{Ll}{4}|\))[.!?;](?:\s|$)|\n/u);
    const sentence = text.slice(start, end < 0 ? undefined : prevEnd + end + 1);
    const until = Math.max(0, ...[...sentence.matchAll(UNTIL_YEAR)].map((m) => Number(m.groups!.y)));

    const at = (year: number) =>
      zonedTimeToUtc({ year, month: a.month, day: a.day, hour: 23, minute: 59 }, options.timeZone);
    const thisYear = Number(
      new Intl.DateTimeFormat('en', { timeZone: options.timeZone, year: 'numeric' }).format(options.now),
    );
    let year = at(thisYear).getTime() >= options.now.getTime() ? thisYear : thisYear + 1;
    if (until > 0 && year > until) year = until;
    out.push({ at: at(year).toISOString(), timeZone: options.timeZone, raw: a.raw, stage: 'single' });
  }
  return out;
}
