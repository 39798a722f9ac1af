import { stringify } from 'csv-stringify/sync';
import type { Budget, Deadline } from '../domain/call.ts';
import type { CallStatus } from '../domain/enums.ts';
import { BERLIN, calendarDaysUntil, localDateTime } from '../domain/zoned-time.ts';

/** The part of a calls-list item the CSV shows (what `queryCalls` returns per item). */
export interface CsvCallItem {
  call: {
    id: string;
    source: string;
    title: string;
    programme: string | null;
    identifier: string | null;
    url: string | null;
    deadlines: Deadline[];
    budget: Budget | null;
    fundingRate: number | null;
  };
  status: CallStatus;
  match: { target: string; score: number; eligibility: string; reason: string } | null;
}

export const csvDelimiters = { semicolon: ';', comma: ',' } as const;
export type CsvDelimiter = keyof typeof csvDelimiters;

const header = [
  'ID',
  'Titel / Title',
  'Programm / Programme',
  'Kennung / Identifier',
  'Quelle / Source',
  'Status',
  'Nächste Frist (UTC) / Next deadline (UTC)',
  'Nächste Frist, Ortszeit der Quelle / Next deadline, publishing time',
  'Zeitzone / Time zone',
  'Nächste Frist, Berlin / Next deadline, Berlin',
  'Tage bis zur Frist / Days left',
  'Förderquote % / Funding rate %',
  'Gesamtbudget / Total budget',
  'Je Projekt min / Per project min',
  'Je Projekt max / Per project max',
  'Währung / Currency',
  'Ziel / Target',
  'Passung / Score',
  'Antragsberechtigung / Eligibility',
  'Begründung / Reason',
  'Ausschreibung / Call page',
  'API',
];

/**
 * Spreadsheet programs run a cell that starts with = + - @ (or a tab/CR) as a formula; crawled
 * text must never do that, so such cells get a leading apostrophe (OWASP "CSV injection").
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const plain = (v: string | number | null | undefined): string =>
  v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : neutralizeFormula(v);

/**
 * The calls list as CSV for Excel: UTF-8 with BOM (so umlauts survive), semicolons by default
 * (what German Excel splits on), CRLF line ends, every field quoted when needed.
 * csv-stringify quotes the separator, quotes and the record delimiter (CRLF) itself, but not a
 * bare CR or LF; spreadsheet programs end a row at either, which would split the row and start
 * a cell past the formula guard, so any field holding one is quoted too.
 */
export function callsCsv(
  items: readonly CsvCallItem[],
  opts: { apiBase: string; now: Date; delimiter: CsvDelimiter },
): string {
  const rows = items.map(({ call: c, status, match }) => {
    const next =
      [...c.deadlines]
        .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
        .find((d) => Date.parse(d.at) >= opts.now.getTime()) ?? undefined;
    const at = next ? new Date(next.at) : undefined;
    return [
      plain(c.id),
      plain(c.title),
      plain(c.programme),
      plain(c.identifier),
      plain(c.source),
      status,
      next?.at ?? '',
      at && next ? localDateTime(at, next.timeZone).replace('T', ' ') : '',
      next?.timeZone ?? '',
      at ? localDateTime(at, BERLIN).replace('T', ' ') : '',
      at ? String(calendarDaysUntil(at, opts.now)) : '',
      c.fundingRate === null ? '' : String(Math.round(c.fundingRate * 1000) / 10),
      plain(c.budget?.total),
      plain(c.budget?.perProjectMin),
      plain(c.budget?.perProjectMax),
      plain(c.budget ? (c.budget.currency ?? 'EUR') : null),
      plain(match?.target),
      plain(match ? Math.round(match.score) : null),
      plain(match?.eligibility),
      plain(match?.reason),
      plain(c.url),
      `${opts.apiBase}/api/calls/${encodeURIComponent(c.id)}`,
    ];
  });
  return stringify([header, ...rows], {
    bom: true,
    delimiter: csvDelimiters[opts.delimiter],
    record_delimiter: 'windows',
    quoted_match: /[\r\n]/,
  });
}
