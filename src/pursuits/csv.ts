import { stringify } from 'csv-stringify/sync';
import { type CsvDelimiter, csvDelimiters, neutralizeFormula } from '../feeds/csv.ts';
import type { Pursuit } from './model.ts';
import { statusLabels } from './status.ts';

const header = [
  'ID',
  'Aufruf-ID / Call id',
  'Aufruf / Call',
  'Programm / Programme',
  'Maßnahmen / Measures',
  'Status',
  'Verantwortlich / Owner',
  'E-Mail',
  'Nächste Frist (UTC) / Next deadline (UTC)',
  'Frist verpasst / Deadline missed',
  'Beantragt EUR / Applied EUR',
  'Bewilligt EUR / Granted EUR',
  'Partner / Partners',
  'Weitere Partner / Other partners',
  'Ungesehene Änderungen / Unseen call changes',
  'Angelegt / Created',
  'Geändert / Updated',
  'API',
];

const cell = (v: string | number | null | undefined) =>
  v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : neutralizeFormula(v);

/** Pursuits as CSV for Excel: UTF-8 with BOM, semicolons by default, CRLF (like the calls CSV). */
export function pursuitsCsv(
  items: readonly Pursuit[],
  opts: { apiBase: string; delimiter: CsvDelimiter },
): string {
  const rows = items.map((p) => [
    String(p.id),
    cell(p.call.id),
    cell(p.call.title),
    cell(p.call.programme),
    cell(p.measures.join(', ')),
    statusLabels.de[p.status],
    cell(p.owner.name),
    cell(p.owner.email),
    p.call.nextDeadline?.at ?? '',
    p.deadlineMissed ? 'ja / yes' : '',
    cell(p.amountApplied),
    cell(p.amountGranted),
    cell(p.partners.join(', ')),
    cell(p.partnersText),
    String(p.unseenAlerts),
    p.createdAt,
    p.updatedAt,
    `${opts.apiBase}/api/pursuits/${p.id}`,
  ]);
  return stringify([header, ...rows], {
    bom: true,
    delimiter: csvDelimiters[opts.delimiter],
    record_delimiter: 'windows',
  });
}
