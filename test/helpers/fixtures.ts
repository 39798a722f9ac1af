import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { zonedTimeToUtc } from '../../crawlers/text.ts';

const root = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** A fixture file's text, e.g. `fixtureText('interreg', 'site/algolia/query.json')`. */
export function fixtureText(source: string, path: string): string {
  return readFileSync(`${root}${source}/${path}`, 'utf8');
}

/** The hand-made fact sheet of a source (expected values for tests). */
export function factSheet<T = unknown>(source: 'interreg' | 'skew'): T {
  const file = source === 'interreg' ? 'interreg-calls.facts.json' : 'skew-programmes.facts.json';
  return JSON.parse(fixtureText(source, file)) as T;
}

/** "2025-04-01T23:59" or "2025-04-01" (end of day) in a zone, as the UTC instant the crawler stores. */
export function sheetInstant(local: string, timeZone = 'Europe/Berlin'): string {
  const [date, time = '23:59'] = local.split('T') as [string, string | undefined];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mi] = time.split(':').map(Number) as [number, number];
  return zonedTimeToUtc({ year: y, month: m, day: d, hour: hh, minute: mi }, timeZone).toISOString();
}
