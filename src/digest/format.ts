import type { Budget } from '../domain/call.ts';
import type { CallStatus, Language } from '../domain/enums.ts';
import { BERLIN, calendarDaysUntil } from '../domain/zoned-time.ts';
import type { DigestDeadline } from './model.ts';

const locales: Record<Language, string> = { de: 'de-DE', en: 'en-GB' };

const zoneNames: Record<Language, Record<string, string>> = {
  de: { 'Europe/Brussels': 'Brüssel', 'Europe/Berlin': 'Berlin' },
  en: { 'Europe/Brussels': 'Brussels', 'Europe/Berlin': 'Berlin' },
};

export function formatInstant(at: string, timeZone: string, lang: Language): string {
  const s = new Intl.DateTimeFormat(locales[lang], {
    timeZone,
    weekday: 'short',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(at));
  return `${s} ${lang === 'de' ? 'Uhr ' : ''}(${zoneNames[lang][timeZone] ?? timeZone})`;
}

export function daysLeft(at: string, now: Date, lang: Language): string {
  const n = calendarDaysUntil(new Date(at), now, BERLIN);
  if (lang === 'de') {
    if (n < 0) return n === -1 ? 'gestern abgelaufen' : `vor ${-n} Tagen abgelaufen`;
    if (n === 0) return 'heute';
    if (n === 1) return 'morgen';
    return `in ${n} Tagen`;
  }
  if (n < 0) return n === -1 ? 'passed yesterday' : `passed ${-n} days ago`;
  if (n === 0) return 'today';
  if (n === 1) return 'tomorrow';
  return `in ${n} days`;
}

/**
 * A deadline in the publishing zone and, when that differs, in Europe/Berlin, with the days
 * left on the Berlin calendar: "Do., 17.09.2026, 17:00 Uhr (Brüssel) · Do., 17.09.2026, 17:00 Uhr (Berlin) – in 12 Tagen".
 */
export function formatDeadline(d: DigestDeadline, now: Date, lang: Language): string {
  const published = formatInstant(d.at, d.timeZone, lang);
  const local = d.timeZone === BERLIN ? '' : ` · ${formatInstant(d.at, BERLIN, lang)}`;
  return `${published}${local} – ${daysLeft(d.at, now, lang)}`;
}

function money(n: number, currency: string, lang: Language): string {
  return new Intl.NumberFormat(locales[lang], {
    style: 'currency',
    currency,
    maximumFractionDigits: 0,
  }).format(n);
}

export function formatBudget(b: Budget, lang: Language): string {
  const parts: string[] = [];
  const cur = b.currency ?? 'EUR';
  if (b.total !== undefined)
    parts.push(`${lang === 'de' ? 'Gesamtbudget' : 'total budget'} ${money(b.total, cur, lang)}`);
  if (b.perProjectMin !== undefined || b.perProjectMax !== undefined) {
    const range =
      b.perProjectMin !== undefined && b.perProjectMax !== undefined
        ? `${money(b.perProjectMin, cur, lang)} – ${money(b.perProjectMax, cur, lang)}`
        : b.perProjectMax !== undefined
          ? `${lang === 'de' ? 'bis' : 'up to'} ${money(b.perProjectMax, cur, lang)}`
          : `${lang === 'de' ? 'ab' : 'from'} ${money(b.perProjectMin as number, cur, lang)}`;
    parts.push(`${lang === 'de' ? 'je Projekt' : 'per project'} ${range}`);
  }
  if (parts.length === 0 && b.raw) parts.push(b.raw);
  return parts.join(', ');
}

export function formatRate(rate: number, lang: Language): string {
  const pct = new Intl.NumberFormat(locales[lang], { style: 'percent', maximumFractionDigits: 1 }).format(
    rate,
  );
  return lang === 'de' ? `Förderquote bis ${pct}` : `funding rate up to ${pct}`;
}

const statusNames: Record<Language, Record<CallStatus, string>> = {
  de: {
    open: 'offen',
    forthcoming: 'angekündigt',
    closed: 'geschlossen',
    'open-ended': 'laufend ohne Frist',
  },
  en: { open: 'open', forthcoming: 'forthcoming', closed: 'closed', 'open-ended': 'open-ended' },
};

export function formatStatus(s: CallStatus | undefined, lang: Language): string {
  return s ? statusNames[lang][s] : '–';
}

/** `2026-W48` → "KW 48/2026" / "week 48/2026"; `2026-11-25` → "25.11.2026" / "25 Nov 2026". */
export function formatPeriod(key: string, lang: Language): string {
  const w = /^(\d{4})-W(\d{2})$/.exec(key);
  if (w) return lang === 'de' ? `KW ${Number(w[2])}/${w[1]}` : `week ${Number(w[2])}/${w[1]}`;
  const d = new Date(`${key}T12:00:00Z`);
  return new Intl.DateTimeFormat(locales[lang], {
    timeZone: 'UTC',
    day: lang === 'de' ? '2-digit' : 'numeric',
    month: lang === 'de' ? '2-digit' : 'short',
    year: 'numeric',
  }).format(d);
}

/** A calendar date in Berlin: "20.11.2026" / "20 Nov 2026". */
export function formatDay(at: string, lang: Language): string {
  return new Intl.DateTimeFormat(locales[lang], {
    timeZone: BERLIN,
    day: lang === 'de' ? '2-digit' : 'numeric',
    month: lang === 'de' ? '2-digit' : 'short',
    year: 'numeric',
  }).format(new Date(at));
}
