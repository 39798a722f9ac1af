import { stringify } from 'csv-stringify/sync';
import { pursuitStatuses } from '../domain/enums.ts';
import { type CsvDelimiter, csvDelimiters, neutralizeFormula } from '../feeds/csv.ts';
import { statusLabels } from '../pursuits/status.ts';
import type { CoverageReport } from './report.ts';

const cell = (v: string | number | null | undefined) =>
  v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : neutralizeFormula(v);

const options = (d: CsvDelimiter) => ({
  bom: true,
  delimiter: csvDelimiters[d],
  record_delimiter: 'windows' as const,
});

/** One row per measure, in the report's order (funding gaps first). */
export function coverageMeasuresCsv(r: CoverageReport, delimiter: CsvDelimiter): string {
  const header = [
    'Handlungsfeld / Action field',
    'Maßnahme / Measure',
    'Text',
    'Förderlücke / Funding gap',
    'Passende Aufrufe 12 Monate / Fitting calls 12 months',
    'Offene passende Aufrufe / Open fitting calls',
    'Bester Aufruf / Best call',
    'Titel / Title',
    'Passung / Score',
    'Nächste Frist (UTC) / Nearest deadline (UTC)',
    'Budgetsumme EUR / Budget sum EUR',
    'Aufrufe mit Budget / Calls stating a budget',
    ...pursuitStatuses.map((s) => `Vorhaben ${statusLabels.de[s]} / ${statusLabels.en[s]}`),
    'Beantragt EUR / Applied EUR',
    'Bewilligt EUR / Granted EUR',
  ];
  const rows = r.measures.map((m) => {
    const figures = Object.values(m.pursuits);
    return [
      String(m.actionFieldNumber),
      m.measureId,
      cell(m.text),
      m.gap ? 'ja / yes' : '',
      String(m.fittingLast12Months),
      String(m.openCalls),
      cell(m.best?.callId),
      cell(m.best?.title),
      cell(m.best ? Math.round(m.best.score) : null),
      cell(m.nearestDeadline?.at),
      String(m.budgetTotal),
      String(m.budgetCalls),
      ...pursuitStatuses.map((s) => String(m.pursuits[s].count)),
      String(figures.reduce((n, f) => n + f.applied, 0)),
      String(figures.reduce((n, f) => n + f.granted, 0)),
    ];
  });
  return stringify([header, ...rows], options(delimiter));
}

/** Programme families × action fields: how many fitting calls each family had per field. */
export function coverageFamiliesCsv(r: CoverageReport, delimiter: CsvDelimiter): string {
  const header = [
    'Programmfamilie / Programme family',
    'Aufrufe / Calls',
    ...r.fields.map((f) => `${f.number} ${f.name}`),
  ];
  const rows = r.families.map((f) => [
    cell(f.family),
    String(f.calls),
    ...r.fields.map((x) => String(f.fields[x.key] ?? 0)),
  ]);
  return stringify([header, ...rows], options(delimiter));
}
