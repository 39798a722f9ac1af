import { describe, expect, it } from 'vitest';
import { applicantTypesOf, datesIn, parseDeadlines, parseImportFile } from '../../src/calls/import-jsonl.ts';

const now = new Date('2026-05-01T00:00:00Z');
const good = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: 'tt-2026',
    source: 'eu-ft',
    programme: 'CERV',
    identifier: 'CERV-2026-CITIZENS-TOWN-TT',
    title: 'Town Twinning',
    summary: 'Exchanges between twinned towns.',
    applicants: 'Towns and municipalities',
    deadlines: ['2026-09-17T17:00'],
    funding: 'EUR 4,000,000',
    language: 'en',
    url: 'https://example.org/tt',
    origin: 'ignored extra key',
    ...over,
  });

describe('JSON Lines import', () => {
  it('imports good lines and reports bad ones with line number and reason', () => {
    const text = [
      good(),
      '{not json',
      '',
      good({ id: 'b', title: '' }),
      '[1,2]',
      good({ id: 'c', source: 'bmz', deadlines: ['bis Mai 2018', '16 September 2025'] }),
      good(),
    ].join('\n');
    const { calls, errors } = parseImportFile(text, now);
    expect(calls.map((c) => [c.line, c.fileId, c.call.id])).toEqual([
      [1, 'tt-2026', 'eu-ft:tt-2026'],
      [6, 'c', 'import:c'],
    ]);
    expect(errors.map((e) => e.line)).toEqual([2, 4, 5, 7]);
    expect(errors[0]!.reason).toMatch(/not valid JSON/);
    expect(errors[1]!.reason).toMatch(/^title: /);
    expect(errors[2]!.reason).toBe('expected a JSON object');
    expect(errors[3]!.reason).toMatch(/duplicate id "tt-2026" \(first on line 1\)/);
    const c = calls[1]!.call;
    expect(c.funder).toBe('bmz');
    expect(c.deadlines.map((d) => [d.at, d.timeZone])).toEqual([
      ['2025-09-16T21:59:00.000Z', 'Europe/Berlin'],
    ]);
    expect(c.status).toBe('closed');
    expect(calls[0]!.call.status).toBe('open');
    expect(calls[0]!.call.applicantTypes).toEqual(['municipality']);
  });

  it('rejects impossible dates with the line number instead of rolling them over (issue 12)', () => {
    const text = [
      good({ id: 'a', deadlines: ['2027-13-45'] }),
      good({ id: 'b', deadlines: ['2027-02-30'] }),
      good({ id: 'c', deadlines: ['2027-05-01T25:99'] }),
      good({ id: 'd', deadlines: ['30.02.2027'] }),
      good({ id: 'e', deadlines: ['2027-02-28T23:59:60Z'] }),
      good({ id: 'f', deadlines: ['2028-02-29'] }), // a leap day exists
    ].join('\n');
    const { calls, errors } = parseImportFile(text, now);
    expect(errors).toEqual([
      { line: 1, reason: 'deadlines: "2027-13-45" is not a real date (no such day or time)' },
      { line: 2, reason: 'deadlines: "2027-02-30" is not a real date (no such day or time)' },
      { line: 3, reason: 'deadlines: "2027-05-01T25:99" is not a real date (no such day or time)' },
      { line: 4, reason: 'deadlines: "30.02.2027" is not a real date (no such day or time)' },
      { line: 5, reason: 'deadlines: "2027-02-28T23:59:60Z" is not a real date (no such day or time)' },
    ]);
    expect(calls.map((c) => [c.line, c.call.deadlines.map((d) => d.at)])).toEqual([
      [6, ['2028-02-29T16:00:00.000Z']],
    ]);
  });

  it('accepts only http(s) links and names the line of any other', () => {
    const bad = [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'ftp://example.org/x',
      '//example.org/x',
      '/calls/x',
      'https://',
    ];
    const text = [
      good({ id: 'ok', url: 'HTTPS://example.org/ok' }),
      ...bad.map((url, i) => good({ id: `bad-${i}`, url })),
      good({ id: 'none', url: null }),
    ].join('\n');
    const { calls, errors } = parseImportFile(text, now);
    expect(calls.map((c) => [c.line, c.call.url ?? null])).toEqual([
      [1, 'HTTPS://example.org/ok'],
      [bad.length + 2, null],
    ]);
    expect(errors.map((e) => e.line)).toEqual(bad.map((_u, i) => i + 2));
    for (const e of errors)
      expect(e.reason).toBe('url: expected an http(s) URL such as https://example.org/call');
  });

  it('reads ISO dates, ranges and published dates', () => {
    // Date-only EU deadlines are 17:00 Brussels (CET in winter, CEST in summer).
    expect(datesIn('Open 2024-11-05 to 2025-02-04', 'eu-ft')).toEqual([
      '2024-11-05T16:00:00.000Z',
      '2025-02-04T16:00:00.000Z',
    ]);
    expect(datesIn('2024-09-19T17:00', 'eu-ft')).toEqual(['2024-09-19T15:00:00.000Z']);
    expect(datesIn('2024-09-19T17:00:00Z', 'eu-ft')).toEqual(['2024-09-19T17:00:00.000Z']);
    // Other sources: the end of the day, German local time.
    expect(datesIn('16. März 2026')).toEqual(['2026-03-16T22:59:00.000Z']);
    expect(datesIn('31.07.2023')).toEqual(['2023-07-31T21:59:00.000Z']);
    expect(datesIn('31.07.2023, 12:00 Uhr')).toEqual(['2023-07-31T10:00:00.000Z']);
    expect(parseDeadlines(['Projektskizze 2023-07-31', 'Antrag 2023-09-30']).map((d) => d.stage)).toEqual([
      'sketch',
      'full-application',
    ]);
  });

  it('maps applicant texts to applicant types', () => {
    expect(applicantTypesOf('Kleine und mittlere Unternehmen')).toEqual(['sme', 'company']);
    expect(applicantTypesOf('Postdoctoral researchers')).toEqual(['research', 'individual']);
    expect(applicantTypesOf('Deutsche Kommunen und ihre Partnerschaftsvereine')).toEqual([
      'municipality',
      'ngo',
    ]);
    expect(applicantTypesOf('')).toEqual([]);
  });
});
