/**
 * Source `eu-ft`: the EU Funding & Tenders Portal. The search API lists forthcoming and open
 * topics (and cascade calls); the Topic Details JSON adds description, conditions and exact
 * deadlines. Parsing is pure and exported; `euFt.crawl` does the fetching.
 */
import { z } from 'zod';
import { archivedFrom, type Call, computeStatus, type Deadline } from '../src/domain/call.ts';
import type { DeadlineStage } from '../src/domain/enums.ts';
import { isRealWallTime } from '../src/domain/time.ts';
import { invalidDateNotice } from './dates.ts';
import { CrawlError, isCrawlError } from './errors.ts';
import { htmlToText, sanitizeHtml, sha256, zonedTimeToUtc } from './text.ts';
import type { CrawlContext, CrawlItem, SourceAdapter } from './types.ts';

export const EU_TIME_ZONE = 'Europe/Brussels';
/** The portal's default deadline time when only a date is published. */
const DEFAULT_DEADLINE = { hour: 17, minute: 0 };
export const FORTHCOMING = '31094501';
export const OPEN = '31094502';

/** Framework programme ids seen in the recordings; others fall back to the details' own name. */
const programmeNames: Record<string, string> = {
  '43108390': 'Horizon Europe (HORIZON)',
  '43152860': 'Digital Europe Programme (DIGITAL)',
  '43252476': 'Single Market Programme (SMP)',
};

// ---------------------------------------------------------------------------------------------
// Search API
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Topic Details
// ---------------------------------------------------------------------------------------------

/** Topic Details URL; the portal only knows the identifier in lower case (upper case is a 404). */
export function topicDetailsUrl(portalBase: string, identifier: string): string {
  return `${portalBase}/info/funding-tenders/opportunities/data/topicDetails/${encodeURIComponent(identifier.toLowerCase())}.json`;
}

export function topicPageUrl(portalBase: string, identifier: string): string {
  return `${portalBase}/info/funding-tenders/opportunities/portal/screen/opportunities/topic-details/${encodeURIComponent(identifier)}`;
}

const msString = z.union([z.string(), z.number()]).transform(String);
const detailsSchema = z.object({
  TopicDetails: z
    .object({
      type: z.number().optional(),
      identifier: z.string().min(1),
      title: z.string().min(1),
      callIdentifier: z.string().optional(),
      callTitle: z.string().optional(),
      frameworkProgramme: z
        .object({ description: z.string().optional(), abbreviation: z.string().optional() })
        .partial()
        .optional(),
      keywords: z.array(z.string()).optional(),
      tags: z.array(z.string()).optional(),
      actions: z
        .array(
          z.object({
            status: z
              .object({ id: z.number().optional(), abbreviation: z.string().optional() })
              .partial()
              .optional(),
            plannedOpeningDate: msString.optional(),
            submissionProcedure: z.object({ abbreviation: z.string().optional() }).partial().optional(),
            deadlineDates: z.array(msString).optional(),
            deadlineModel: z.string().optional(),
          }),
        )
        .optional(),
      latestInfos: z
        .array(z.object({ lastChangeDate: z.string().optional(), content: z.string().optional() }))
        .optional(),
      budgetOverviewJSONItem: z.unknown().optional(),
      description: z.string().optional(),
      conditions: z.string().optional(),
    })
    .passthrough(),
});

export interface TopicDetails {
  identifier: string;
  title: string;
  callIdentifier?: string;
  callTitle?: string;
  programme?: string;
  keywords: string[];
  tags: string[];
  statusLabel?: string;
  openingMs?: string;
  deadlineModel?: string;
  deadlineMs: string[];
  descriptionHtml?: string;
  conditionsHtml?: string;
  latestInfos: Array<{ date?: string; text: string }>;
  budget?: BudgetOverview;
  raw: unknown;
}

/** A Topic Details document → the fields we use. A document without TopicDetails is a layout change. */
export function parseTopicDetails(json: unknown): TopicDetails {
  const parsed = detailsSchema.safeParse(json);
  if (!parsed.success) {
    throw new CrawlError('parse', `Topic Details not recognised: ${parsed.error.issues[0]?.message ?? ''}`);
  }
  const t = parsed.data.TopicDetails;
  const actions = t.actions ?? [];
  const deadlineMs = [...new Set(actions.flatMap((a) => a.deadlineDates ?? []))].sort(
    (a, b) => Number(a) - Number(b),
  );
  const openings = actions
    .map((a) => a.plannedOpeningDate)
    .filter((x): x is string => !!x)
    .sort();
  const model = actions.map((a) => a.submissionProcedure?.abbreviation ?? a.deadlineModel).find(Boolean);
  return {
    identifier: t.identifier,
    title: t.title.trim(),
    callIdentifier: t.callIdentifier,
    callTitle: t.callTitle,
    programme: t.frameworkProgramme?.description,
    keywords: t.keywords ?? [],
    tags: t.tags ?? [],
    statusLabel: actions[0]?.status?.abbreviation,
    openingMs: openings[0],
    deadlineModel: model,
    deadlineMs,
    descriptionHtml: t.description,
    conditionsHtml: t.conditions,
    latestInfos: (t.latestInfos ?? []).map((i) => ({
      date: i.lastChangeDate,
      text: htmlToText(i.content ?? ''),
    })),
    budget: (t.budgetOverviewJSONItem ?? undefined) as BudgetOverview | undefined,
    raw: json,
  };
}

// ---------------------------------------------------------------------------------------------
// Normalization
// ---------------------------------------------------------------------------------------------

const stageFor = (
  model: string | undefined,
  index: number,
  count: number,
): { stage: DeadlineStage; label?: string } => {
  if (model && /two-stage/i.test(model) && count === 2) {
    return index === 0
      ? { stage: 'sketch', label: 'first stage' }
      : { stage: 'second-stage', label: 'second stage' };
  }
  if ((model && /cut-?off/i.test(model)) || count > 1)
    return { stage: 'cut-off', label: `cut-off ${index + 1}` };
  return { stage: 'single' };
};

/** A calendar day → its 17:00 in Brussels, the portal's default deadline time. */
const brusselsDeadline = (
  y: number,
  m: number,
  d: number,
  hour = DEFAULT_DEADLINE.hour,
  minute = DEFAULT_DEADLINE.minute,
) => zonedTimeToUtc({ year: y, month: m, day: d, hour, minute }, EU_TIME_ZONE).toISOString();

/**
 * Epoch milliseconds as Topic Details publishes them. Midnight UTC means "this day" and gets the
 * 17:00 Brussels default; any other instant is taken as it is.
 */
export function deadlineFromEpochMs(ms: string): string | undefined {
  const n = Number(ms);
  if (!Number.isFinite(n) || ms.trim() === '') return undefined;
  const d = new Date(n);
  if (d.getUTCHours() === 0 && d.getUTCMinutes() === 0) {
    return brusselsDeadline(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  return d.toISOString();
}

/**
 * A search `deadlineDate` such as `2027-04-08T00:00:00.000+0000`. The index writes Brussels wall
 * time with a +0000 suffix (`…T17:00:00.000+0000` for a 17:00 deadline); midnight means "date only".
 */
export function deadlineFromSearchDate(value: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4] ?? '00', m[5] ?? '00'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  // A day or time that does not exist (2027-02-30, 25:99) is no deadline, never a rolled-over one.
  if (!isRealWallTime({ year: y, month: mo, day: d, hour: h, minute: mi })) return undefined;
  return h === 0 && mi === 0 ? brusselsDeadline(y, mo, d) : brusselsDeadline(y, mo, d, h, mi);
}

const dayStart = (y: number, m: number, d: number) =>
  zonedTimeToUtc({ year: y, month: m, day: d, hour: 0, minute: 0 }, EU_TIME_ZONE).toISOString();

function openingFromMs(ms: string | undefined): string | undefined {
  if (!ms || !Number.isFinite(Number(ms))) return undefined;
  const d = new Date(Number(ms));
  return dayStart(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

function openingFromSearch(value: string | undefined): string | undefined {
  const m = value ? /^(\d{4})-(\d{2})-(\d{2})/.exec(value) : null;
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isRealWallTime({ year: y, month: mo, day: d }) ? dayStart(y, mo, d) : undefined;
}

/** Total and per-project range for one topic from a budget overview (all budget years summed). */
export function topicBudget(overview: BudgetOverview | undefined, identifier: string): Call['budget'] {
  const map = overview?.budgetTopicActionMap;
  if (!map) return undefined;
  const rows = Object.values(map)
    .flat()
    .filter((r) => r.action?.split(' - ')[0]?.trim().toUpperCase() === identifier.toUpperCase());
  if (rows.length === 0) return undefined;
  const total = rows.reduce(
    (sum, r) => sum + Object.values(r.budgetYearMap ?? {}).reduce((s, v) => s + (Number(v) || 0), 0),
    0,
  );
  const mins = rows.map((r) => r.minContribution ?? 0).filter((v) => v > 0);
  const maxs = rows.map((r) => r.maxContribution ?? 0).filter((v) => v > 0);
  return {
    currency: 'EUR',
    ...(total > 0 ? { total } : {}),
    ...(mins.length ? { perProjectMin: Math.min(...mins) } : {}),
    ...(maxs.length ? { perProjectMax: Math.max(...maxs) } : {}),
  };
}

function summaryFrom(text: string): string {
  const firstPara = text.split('\n').find((l) => l.length > 40) ?? text;
  return firstPara.length > 500 ? `${firstPara.slice(0, 497).trimEnd()}…` : firstPara;
}

/** Search hit (+ Topic Details when fetched) → the normalized Call. */
export function toCall(
  hit: SearchHit,
  details: TopicDetails | undefined,
  opts: { now: Date; portalBase: string; fetchedAt: string; sourceUrl: string },
): Call {
  const deadlines: Deadline[] = [];
  const notices: string[] = [];
  if (details && details.deadlineMs.length > 0) {
    details.deadlineMs.forEach((ms, i) => {
      const at = deadlineFromEpochMs(ms);
      if (at)
        deadlines.push({
          at,
          timeZone: EU_TIME_ZONE,
          raw: ms,
          ...stageFor(details.deadlineModel ?? hit.deadlineModel, i, details.deadlineMs.length),
        });
    });
  } else {
    const dates = [...new Set(hit.deadlineDates)].sort();
    dates.forEach((raw, i) => {
      const at = deadlineFromSearchDate(raw);
      if (at)
        deadlines.push({ at, timeZone: EU_TIME_ZONE, raw, ...stageFor(hit.deadlineModel, i, dates.length) });
      else notices.push(invalidDateNotice(raw));
    });
  }
  deadlines.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const openingDate = openingFromMs(details?.openingMs) ?? openingFromSearch(hit.startDate);
  const descriptionHtml = details?.descriptionHtml ?? hit.descriptionHtml;
  const description = descriptionHtml ? htmlToText(descriptionHtml) : '';
  const ids = new Set([hit.identifier, hit.callIdentifier].filter(Boolean).map((s) => s!.toUpperCase()));
  const keywords = [
    ...new Set([...(details?.keywords ?? hit.keywords), ...(details?.tags ?? hit.tags)].map((k) => k.trim())),
  ].filter((k) => k !== '' && !ids.has(k.toUpperCase()));
  const cascade = hit.type === '8';
  const budget = topicBudget(details?.budget, hit.identifier) ?? topicBudget(hit.budget, hit.identifier);
  const raw = { search: hit.metadata, ...(details ? { topicDetails: details.raw } : {}) };
  const call: Call = {
    id: `eu-ft:${hit.sourceId}`,
    source: 'eu-ft',
    sourceId: hit.sourceId,
    funder: 'European Commission',
    ...(cascade ? { operator: hit.callTitle ?? hit.title } : {}),
    programme: details?.programme ?? (hit.programmeId ? programmeNames[hit.programmeId] : undefined),
    identifier: hit.identifier,
    title: cascade ? hit.title : (details?.title ?? hit.title),
    summary: cascade && hit.summary ? hit.summary : summaryFrom(description),
    description,
    ...(descriptionHtml ? { descriptionHtml: sanitizeHtml(descriptionHtml) } : {}),
    url: cascade && hit.url ? hit.url : topicPageUrl(opts.portalBase, hit.identifier),
    language: 'en',
    ...(openingDate ? { openingDate } : {}),
    deadlines,
    status: computeStatus(
      deadlines,
      openingDate,
      opts.now,
      archivedFrom({
        title: cascade ? hit.title : (details?.title ?? hit.title),
        programme: details?.programme ?? (hit.programmeId ? programmeNames[hit.programmeId] : undefined),
      }),
    ),
    sourceStatus:
      details?.statusLabel ??
      (hit.statusCode === OPEN ? 'Open' : hit.statusCode === FORTHCOMING ? 'Forthcoming' : hit.statusCode),
    ...(budget ? { budget } : {}),
    applicantTypes: [],
    countries: [],
    nuts: [],
    keywords,
    notices,
    provenance: {
      fetchedAt: opts.fetchedAt,
      sourceUrl: opts.sourceUrl,
      contentHash: sha256(JSON.stringify(raw)),
    },
    raw,
  };
  return call;
}

// ---------------------------------------------------------------------------------------------
// Crawl
// ---------------------------------------------------------------------------------------------

async function* crawl(ctx: CrawlContext): AsyncGenerator<CrawlItem> {
  const { api, portal } = ctx.baseUrls as { api: string; portal: string };
  const pageSize = ctx.config.crawl.euFt.pageSize;
  const hits: SearchHit[] = [];
  let complete = false;
  // Rows read against the largest `totalResults` any page stated: an empty page 2 under a
  // stated 9 is a short read, not the end of the listing.
  let rowsRead = 0;
  let stated: number | undefined;
  for (let page = 1; page <= 1000; page++) {
    const url = searchUrl(api, pageSize, page);
    let parsed: ReturnType<typeof parseSearchPage>;
    try {
      const res = await ctx.http.requestJson(url, { method: 'POST', body: searchBody() });
      parsed = parseSearchPage(res.json);
    } catch (err) {
      // A broken page ends the listing early (partial run); page 1 failing means we have nothing.
      if (!isCrawlError(err) || err.critical || page === 1) throw err;
      yield { type: 'error', error: err };
      break;
    }
    for (const p of parsed.problems) {
      // Truncated JSON-in-string fields are common upstream: the record stays, the value is dropped.
      if (p.level === 'field') ctx.logger.debug({ ref: p.ref, url }, p.message);
      else yield { type: 'error', error: new CrawlError('parse', `${p.ref}: ${p.message}`, { url }) };
    }
    hits.push(...parsed.hits);
    rowsRead += parsed.resultCount;
    if (parsed.totalResults !== undefined) stated = Math.max(stated ?? 0, parsed.totalResults);
    ctx.progress('search pages', page);
    if (parsed.resultCount < pageSize) {
      complete = true;
      break;
    }
  }

  const topics = dedupeHits(hits);
  let done = 0;
  for (const hit of topics) {
    const id = `eu-ft:${hit.sourceId}`;
    const known = ctx.known(id);
    done++;
    ctx.progress('topics', done, topics.length);
    if (known && known.fingerprint === hit.fingerprint && !known.delisted) {
      yield { type: 'seen', id, fingerprint: hit.fingerprint };
      continue;
    }
    const fetchedAt = new Date().toISOString();
    // Cascade calls (type 8) live on the project's own site and have no Topic Details.
    if (hit.type === '8') {
      yield {
        type: 'call',
        call: toCall(hit, undefined, {
          now: ctx.now,
          portalBase: portal,
          fetchedAt,
          sourceUrl: searchUrl(api, pageSize, 1),
        }),
        fingerprint: hit.fingerprint,
      };
      continue;
    }
    const detailsUrl = topicDetailsUrl(portal, hit.identifier);
    try {
      const res = await ctx.http.requestJson(detailsUrl);
      const details = parseTopicDetails(res.json);
      yield {
        type: 'call',
        call: toCall(hit, details, { now: ctx.now, portalBase: portal, fetchedAt, sourceUrl: detailsUrl }),
        fingerprint: hit.fingerprint,
      };
    } catch (err) {
      if (isCrawlError(err) && !err.critical) {
        // The stored version (if any) stays as it was; the next run tries again (no fingerprint stored).
        yield {
          type: 'error',
          error: new CrawlError(err.kind, `${hit.identifier}: ${err.message}`, {
            url: detailsUrl,
            errorClass: err.errorClass,
          }),
        };
        if (known) yield { type: 'seen', id };
        continue;
      }
      throw err;
    }
  }
  yield {
    type: 'listing',
    ids: topics.map((h) => `eu-ft:${h.sourceId}`),
    complete,
    ...(stated !== undefined
      ? { counts: [{ label: searchUrl(api, pageSize, 1), stated, read: rowsRead }] }
      : {}),
  };
}

export const euFt: SourceAdapter = {
  id: 'eu-ft',
  name: 'EU Funding & Tenders Portal',
  defaultBaseUrls: { api: 'https://api.tech.ec.europa.eu', portal: 'https://ec.europa.eu' },
  crawl,
};
