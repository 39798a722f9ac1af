import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { type CsvCallItem, callsCsv } from '../../src/feeds/csv.ts';

const item = (over: Partial<CsvCallItem['call']> = {}, match: CsvCallItem['match'] = null): CsvCallItem => ({
  call: {
    id: 'eu-ft:X',
    source: 'eu-ft',
    title: 'Städtepartnerschaft; "Begegnung"\nzweite Zeile',
    programme: 'CERV',
    identifier: 'CERV-2027-X',
    url: 'https://ec.europa.eu/x',
    deadlines: [
      { at: '2026-01-10T16:00:00.000Z', timeZone: 'Europe/Brussels', raw: 'past', stage: 'sketch' },
      {
        at: '2027-06-10T15:00:00.000Z',
        timeZone: 'Europe/Brussels',
        raw: '10 June 2027',
        stage: 'full-application',
      },
    ],
    budget: { currency: 'EUR', total: 5_000_000, perProjectMax: 60_000 },
    fundingRate: 0.9,
    ...over,
  },
  status: 'open',
  match,
});

describe('calls CSV', () => {
  const now = new Date('2026-11-25T12:00:00Z');

  it('is UTF-8 with BOM, semicolon-separated, CRLF, and parses back to the same values', () => {
    const csv = callsCsv(
      [item({}, { target: 'staedtepartnerschaften', score: 84.6, eligibility: 'eligible', reason: 'CERV' })],
      {
        apiBase: 'https://fm.example.org',
        now,
        delimiter: 'semicolon',
      },
    );
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain('\r\n');
    const rows: string[][] = parse(csv, { bom: true, delimiter: ';' });
    expect(rows).toHaveLength(2);
    const row = Object.fromEntries((rows[0] ?? []).map((h, i) => [h, rows[1]?.[i]]));
    expect(row).toMatchObject({
      ID: 'eu-ft:X',
      'Titel / Title': 'Städtepartnerschaft; "Begegnung"\nzweite Zeile',
      'Nächste Frist (UTC) / Next deadline (UTC)': '2027-06-10T15:00:00.000Z',
      'Nächste Frist, Ortszeit der Quelle / Next deadline, publishing time': '2027-06-10 17:00:00',
      'Zeitzone / Time zone': 'Europe/Brussels',
      'Nächste Frist, Berlin / Next deadline, Berlin': '2027-06-10 17:00:00',
      'Tage bis zur Frist / Days left': '197',
      'Förderquote % / Funding rate %': '90',
      'Gesamtbudget / Total budget': '5000000',
      'Je Projekt max / Per project max': '60000',
      'Passung / Score': '85',
      'Ziel / Target': 'staedtepartnerschaften',
      API: 'https://fm.example.org/api/calls/eu-ft%3AX',
    });
  });

  it('keeps crawled text from running as a spreadsheet formula', () => {
    const csv = callsCsv(
      [
        item({
          title: '=HYPERLINK("https://evil.example","click")',
          programme: '+1',
          identifier: '@SUM(A1)',
        }),
      ],
      {
        apiBase: 'https://fm.example.org',
        now,
        delimiter: 'comma',
      },
    );
    const [, row] = parse(csv, { bom: true }) as string[][];
    expect(row?.slice(1, 4)).toEqual(['\'=HYPERLINK("https://evil.example","click")', "'+1", "'@SUM(A1)"]);
  });
});

describe('calls CSV line breaks inside fields', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  // Spreadsheet programs end a row at any unquoted CR, LF or CRLF; parse back the same way.
  const parseLikeExcel = (csv: string, delimiter: string): string[][] =>
    parse(csv, { bom: true, delimiter, record_delimiter: ['\r\n', '\n', '\r'] });

  for (const [name, delimiter] of [
    ['semicolon', ';'],
    ['comma', ','],
  ] as const) {
    it(`quotes every field holding CR or LF, so rows and the formula guard survive (${name})`, () => {
      const csv = callsCsv(
        [
          item({ title: 'a\r=2+2', programme: 'b\n@SUM(A1)', identifier: '=2+2' }),
          item({ id: 'eu-ft:Y', title: 'c\r\nd', programme: 'plain', identifier: null }),
        ],
        { apiBase: 'https://fm.example.org', now, delimiter: name },
      );
      const rows = parseLikeExcel(csv, delimiter);
      expect(rows).toHaveLength(3);
      for (const r of rows) expect(r).toHaveLength(rows[0]!.length);
      expect(rows[1]!.slice(0, 4)).toEqual(['eu-ft:X', 'a\r=2+2', 'b\n@SUM(A1)', "'=2+2"]);
      expect(rows[2]!.slice(0, 4)).toEqual(['eu-ft:Y', 'c\r\nd', 'plain', '']);
    });
  }
});
