import { archivedFrom } from '../domain/call.ts';
import type { FieldSpec } from '../search/inverted-index.ts';
import type { SharedStrings } from './shared-strings.ts';

/**
 * What the search index (src/calls/search-index.ts) reads of a call and makes of it: the facts
 * list filters and sorting need, and the texts of its index fields.
 */

/** What list filters and sorting need of a call, kept in memory beside the text index. */
export interface CallFacts {
  id: string;
  source: string;
  programme: string | null;
  contentHash: string;
  /** Opening date in ms, or null. */
  openingAt: number | null;
  /** Deadline instants in ms, ascending. */
  deadlines: number[];
  /** Without deadlines: closed (archived) from this instant in ms on (`archivedFrom`), or null. */
  archivedAt: number | null;
  firstSeenAt: string;
}

/** The columns of `calls` the index reads (not the wide ones it has no use for: raw, HTML). */
export const indexColumns = `id, source, programme, identifier, title, summary, description, keywords,
    content_hash, language, opening_date, first_seen_at`;

export interface CallRow {
  id: string;
  source: string;
  programme: string | null;
  identifier: string | null;
  title: string;
  summary: string;
  description: string;
  keywords: string;
  content_hash: string;
  language: string;
  opening_date: string | null;
  first_seen_at: string;
}

/** Index fields in the order `fieldTexts` gives them; translations only in the short ones. */
export const fieldSpecs: readonly FieldSpec[] = [
  { boost: 3, short: true }, // title
  { boost: 2, short: false }, // identifier
  { boost: 1.5, short: false }, // programme
  { boost: 2, short: true }, // keywords
  { boost: 1.5, short: true }, // summary
  { boost: 1, short: false }, // description
];

/** The texts of a call's index fields, in the order of `fieldSpecs`. */
export function fieldTexts(r: CallRow): string[] {
  return [r.title, r.identifier ?? '', r.programme ?? '', keywordText(r.keywords), r.summary, r.description];
}

/**
 * The keywords (a JSON array of strings) as text to scan. Without escapes the JSON text is that
 * text with quotes, commas and brackets, which the scan splits on like spaces: no parse per call.
 */
export function keywordText(json: string): string {
  return json.includes('\\') ? (JSON.parse(json) as string[]).join(' ') : json;
}

/** The facts of a row; `deadlines` (instants in ms) are sorted in place. */
export function factsOf(r: CallRow, deadlines: number[], shared: SharedStrings): CallFacts {
  return {
    id: r.id,
    source: shared.of(r.source),
    programme: shared.of(r.programme),
    contentHash: r.content_hash,
    openingAt: r.opening_date ? Date.parse(r.opening_date) : null,
    deadlines: deadlines.sort((a, b) => a - b),
    // Only a call without deadlines is ever archived (statusAt): the title's years are not read for the rest.
    archivedAt: deadlines.length === 0 ? archivedMs(r) : null,
    firstSeenAt: shared.of(r.first_seen_at),
  };
}

function archivedMs(r: { title: string; programme: string | null }): number | null {
  const at = archivedFrom({ title: r.title, programme: r.programme ?? undefined });
  return at ? Date.parse(at) : null;
}
