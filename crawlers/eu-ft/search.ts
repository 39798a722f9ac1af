/** eu-ft: the search API — request shape and the pure parse of its result pages. */
import { z } from 'zod';
import { CrawlError } from '../errors.ts';
import { sha256 } from '../text.ts';

export const FORTHCOMING = '31094501';
export const OPEN = '31094502';

/** The bool query: grants (1), calls for proposals (2) and cascade calls (8), forthcoming or open, 2021-2027. */
export function searchQuery() {
  return {
    bool: {
      must: [
        { terms: { type: ['1', '2', '8'] } },
        { terms: { status: [FORTHCOMING, OPEN] } },
        { term: { programmePeriod: '2021 - 2027' } },
      ],
    },
  };
}

export function searchUrl(apiBase: string, pageSize: number, pageNumber: number): string {
  return `${apiBase}/search-api/prod/rest/search?apiKey=SEDIA&text=***&pageSize=${pageSize}&pageNumber=${pageNumber}`;
}

/**
 * The multipart body. `query`, `languages` and `sort` must be FILE parts with content type
 * application/json: as plain form fields the API answers 500, and a query in the URL is ignored.
 */
export function searchBody(): FormData {
  const fd = new FormData();
  const json = (v: unknown) => new Blob([JSON.stringify(v)], { type: 'application/json' });
  fd.append('query', json(searchQuery()), 'blob');
  fd.append('languages', json(['en']), 'blob');
  fd.append('sort', json({ field: 'sortStatus', order: 'ASC' }), 'blob');
  return fd;
}

export interface SearchHit {
  /** Our key: the topic identifier, or for cascade calls (type 8) their own reference. */
  sourceId: string;
  type: string;
  identifier: string;
  title: string;
  callIdentifier?: string;
  callTitle?: string;
  summary?: string;
  programmeId?: string;
  statusCode?: string;
  deadlineModel?: string;
  deadlineDates: string[];
  startDate?: string;
  keywords: string[];
  tags: string[];
  descriptionHtml?: string;
  budget?: BudgetOverview;
  dataSource: string;
  legacy: boolean;
  url?: string;
  fingerprint: string;
  /** Number of non-empty metadata fields: "richness" when choosing between duplicates. */
  richness: number;
  metadata: Record<string, unknown>;
}

export interface ParseProblem {
  ref: string;
  /** `field`: one JSON-in-string value was skipped, the record is kept; `record`: the row was skipped. */
  level: 'field' | 'record';
  message: string;
}

const envelopeSchema = z.object({
  totalResults: z.number().optional(),
  pageNumber: z.number().optional(),
  results: z.array(
    z
      .object({
        reference: z.string().optional(),
        checksum: z.string().optional(),
        summary: z.string().optional(),
        url: z.string().optional(),
        metadata: z.record(z.string(), z.unknown()),
      })
      .passthrough(),
  ),
});

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
const first = (v: unknown): string | undefined => strings(v)[0]?.trim() || undefined;

/** A JSON value packed into a string (may be truncated upstream): the value, or undefined plus a problem. */
function jsonInString(
  value: string | undefined,
  ref: string,
  field: string,
  problems: ParseProblem[],
): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    problems.push({ ref, level: 'field', message: `${field} is not valid JSON (truncated?); skipped` });
    return undefined;
  }
}

export interface BudgetOverview {
  budgetTopicActionMap?: Record<
    string,
    Array<{
      action?: string;
      minContribution?: number;
      maxContribution?: number;
      budgetYearMap?: Record<string, string>;
    }>
  >;
}

/**
 * One search response page → hits. Bad records or bad JSON-in-string fields are reported as
 * problems and skipped; a response without the envelope is a changed layout.
 */
export function parseSearchPage(json: unknown): {
  totalResults?: number;
  /** Rows on the page before any were skipped: a page shorter than the page size is the last. */
  resultCount: number;
  hits: SearchHit[];
  problems: ParseProblem[];
} {
  const env = envelopeSchema.safeParse(json);
  if (!env.success) throw new CrawlError('layout', 'search response has no results array (API changed?)');
  const problems: ParseProblem[] = [];
  const hits: SearchHit[] = [];
  for (const r of env.data.results) {
    const m = r.metadata;
    const ref = r.reference ?? first(m.identifier) ?? '?';
    const type = first(m.type) ?? '';
    const identifier = first(m.identifier);
    if (!identifier) {
      problems.push({ ref, level: 'record', message: 'result without identifier; skipped' });
      continue;
    }
    const cascade = type === '8';
    // Cascade calls carry the parent topic's title; their own name is in callTitle/caName/summary.
    const title = cascade
      ? (first(m.callTitle) ?? first(m.caName) ?? r.summary ?? first(m.title))
      : (first(m.title) ?? r.summary);
    if (!title) {
      problems.push({ ref, level: 'record', message: 'result without title; skipped' });
      continue;
    }
    const rawKeywords = strings(m.keywords);
    const keywords: string[] = [];
    for (const k of rawKeywords) {
      if (k.trim().startsWith('[')) {
        const parsed = jsonInString(k, ref, 'keywords', problems);
        if (Array.isArray(parsed)) keywords.push(...strings(parsed));
      } else keywords.push(k);
    }
    const budget = jsonInString(first(m.budgetOverview), ref, 'budgetOverview', problems) as
      | BudgetOverview
      | undefined;
    // `actions` is only evidence here (Topic Details has the same, parsed); checked so a bad one is reported.
    jsonInString(first(m.actions), ref, 'actions', problems);
    const dataSource = first(m.DATASOURCE) ?? first(m.datasource) ?? '';
    const ownId = cascade
      ? `${identifier}:${first(m.ccm2Id) ?? r.reference ?? sha256(title).slice(0, 12)}`
      : identifier;
    hits.push({
      sourceId: ownId,
      type,
      identifier,
      title: title.trim(),
      callIdentifier: first(m.callIdentifier),
      callTitle: first(m.callTitle),
      summary: cascade ? r.summary : undefined,
      programmeId: first(m.frameworkProgramme),
      statusCode: first(m.status),
      deadlineModel: first(m.deadlineModel),
      // Some rows pack several cut-offs into one comma-separated value.
      deadlineDates: strings(m.deadlineDate).flatMap((d) =>
        d
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      ),
      startDate: first(m.startDate),
      keywords,
      tags: strings(m.tags),
      descriptionHtml: first(m.descriptionByte),
      ...(budget ? { budget } : {}),
      dataSource,
      legacy: dataSource !== 'SEDIA',
      url: first(m.url) ?? r.url,
      fingerprint: r.checksum ?? sha256(JSON.stringify(m)),
      richness: Object.values(m).filter((v) => strings(v).some((s) => s.trim() !== '')).length,
      metadata: m,
    });
  }
  return { totalResults: env.data.totalResults, resultCount: env.data.results.length, hits, problems };
}

/** One hit per topic: the current (SEDIA) row beats a legacy one; otherwise the richer row wins. */
export function dedupeHits(hits: readonly SearchHit[]): SearchHit[] {
  const byId = new Map<string, SearchHit>();
  for (const h of hits) {
    const seen = byId.get(h.sourceId);
    if (!seen) byId.set(h.sourceId, h);
    else if (seen.legacy !== h.legacy ? seen.legacy : h.richness > seen.richness) byId.set(h.sourceId, h);
  }
  return [...byId.values()];
}
