/** interreg: the interreg.eu Algolia index — its config on the page, its query, and the pure parse of its hits. */
import type { Call, Deadline } from '../../src/domain/call.ts';
import type { ApplicantType } from '../../src/domain/enums.ts';
import { invalidDateNotice, parseDate, type RejectedDate } from '../dates.ts';
import { classifyDates, toDeadlines } from '../deadlines.ts';
import { CrawlError } from '../errors.ts';
import { findBudget, findFundingRate, oneLine } from '../facts.ts';
import { countryCode, programmeByName } from '../interreg-areas.ts';
import {
  INTERREG_FUNDER,
  layoutChanged,
  type PageContext,
  type ParseResult,
  type RecordError,
} from '../interreg-sites.ts';
import { finishCall, htmlToText } from '../page.ts';
import { sanitizeHtml, sha256 } from '../text.ts';

export interface AlgoliaConfig {
  appId: string;
  apiKey: string;
  indexName: string;
}

export const ALGOLIA_DEFAULT_INDEX = 'prod_en-us_content';
/** All open and forthcoming calls of all programmes in one page. */
export const ALGOLIA_FILTERS =
  'contentType:callForProjectsPage AND (callStatus:Open OR callStatus:Forthcoming)';
export const ALGOLIA_HITS_PER_PAGE = 500;

/** The body of the one Algolia query (POST /1/indexes/{index}/query). */
export function algoliaQueryBody(): string {
  const params = new URLSearchParams({
    filters: ALGOLIA_FILTERS,
    hitsPerPage: String(ALGOLIA_HITS_PER_PAGE),
  });
  return JSON.stringify({ params: params.toString() });
}

const APP_ID_RE =
  /["']?(?:algoliaAppId|algoliaApplicationId|applicationId|appId|ALGOLIA_APP_ID|algolia_app_id)["']?\s*[:=]\s*["']([A-Za-z0-9]{6,20})["']/;
const KEY_RE =
  /["']?(?:algoliaSearchKey|algoliaApiKey|searchOnlyApiKey|searchKey|apiKey|ALGOLIA_SEARCH_KEY|algolia_search_key)["']?\s*[:=]\s*["']([A-Za-z0-9=_-]{16,200})["']/;
const INDEX_RE = /["']?indexName["']?\s*[:=]\s*["']([A-Za-z0-9_.-]+)["']|data-index="([A-Za-z0-9_.-]+)"/;

/**
 * The Algolia application id and search-only key embedded in the calls page. They rotate, so
 * the adapter reads them from the page on every run (and again after a 403).
 */
export function readAlgoliaConfig(html: string): AlgoliaConfig | undefined {
  const appId = APP_ID_RE.exec(html)?.[1];
  const apiKey = KEY_RE.exec(html)?.[1];
  if (!appId || !apiKey) return undefined;
  const idx = INDEX_RE.exec(html);
  return { appId, apiKey, indexName: idx?.[1] ?? idx?.[2] ?? ALGOLIA_DEFAULT_INDEX };
}

interface AlgoliaHit {
  objectID?: unknown;
  title?: unknown;
  teaser?: unknown;
  description?: unknown;
  associatedProgrammes?: unknown;
  callStatus?: unknown;
  callOpenDate?: unknown;
  callDeadlineDate?: unknown;
  callEligibleCountryNames?: unknown;
  callEligibleCountryNuts?: unknown;
  callThemes?: unknown;
  targetAudience?: unknown;
  callExternalUrl?: unknown;
  contentUrl?: unknown;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : [];

const AUDIENCE: Array<[RegExp, ApplicantType]> = [
  [/local public authorit|municipal/i, 'municipality'],
  [/regional public authorit/i, 'region'],
  [/national public authorit|public (?:body|equivalent)|sectoral agenc|infrastructure/i, 'public-body'],
  [/\bngo\b|interest group|non-?profit|civil society|association/i, 'ngo'],
  [/\bsme\b/i, 'sme'],
  [/enterprise|business|compan/i, 'company'],
  [/research/i, 'research'],
  [/higher education|universit|education and training/i, 'university'],
];

function audienceTypes(audience: string[]): ApplicantType[] {
  const out = new Set<ApplicantType>();
  for (const a of audience) for (const [re, t] of AUDIENCE) if (re.test(a)) out.add(t);
  return [...out];
}

/** A hit's date: epoch seconds (or ms) are instants; a string is local time of the programme. */
function hitDate(
  value: unknown,
  timeZone: string,
  end: boolean,
  rejected: RejectedDate[],
): { at: string; raw: string; zone: string } | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    const ms = value < 1e11 ? value * 1000 : value;
    return { at: new Date(ms).toISOString(), raw: String(value), zone: timeZone };
  }
  const s = str(value).trim();
  if (!s) return undefined;
  const parsed = parseDate(s, { timeZone, defaultTime: end ? 'end-of-day' : 'start-of-day', rejected });
  return parsed && { at: parsed.at, raw: s, zone: parsed.timeZone };
}

/** One Algolia hit as a Call; throws on a hit that cannot be a call (no id or title). */
export function algoliaHitToCall(hit: AlgoliaHit, ctx: PageContext & { siteBase: string }): Call {
  const objectId = str(hit.objectID) || (typeof hit.objectID === 'number' ? String(hit.objectID) : '');
  if (!objectId) throw new Error('hit without objectID');
  const title = oneLine(str(hit.title));
  if (!title) throw new Error(`hit ${objectId} has no title`);
  const programmes = strs(hit.associatedProgrammes);
  const area = programmes.map(programmeByName).find(Boolean);
  const timeZone = area?.timeZone ?? 'Europe/Brussels';
  const descriptionHtml = str(hit.description);
  const description = descriptionHtml ? htmlToText(descriptionHtml) : '';
  const teaser = oneLine(str(hit.teaser));
  const text = [teaser, description].filter(Boolean).join('\n');

  // The index has one deadline; the description may name the stages ("Project Idea Form by …,
  // full application by …"). Same instant: keep the description's stage label.
  const rejected: RejectedDate[] = [];
  const fromText = toDeadlines(classifyDates(text, { timeZone, rejected }));
  const indexed = hitDate(hit.callDeadlineDate, timeZone, true, rejected);
  const deadlines: Deadline[] = [...fromText];
  if (indexed && !fromText.some((d) => d.at.slice(0, 10) === indexed.at.slice(0, 10))) {
    deadlines.push({ at: indexed.at, timeZone: indexed.zone, raw: indexed.raw, stage: 'single' });
    deadlines.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  }
  const opening = hitDate(hit.callOpenDate, timeZone, false, rejected);
  const countries = strs(hit.callEligibleCountryNames)
    .map(countryCode)
    .filter((c): c is string => Boolean(c));
  const nuts = strs(hit.callEligibleCountryNuts).filter((n) => /^[A-Z]{2}[A-Z0-9]{0,3}$/.test(n));
  const rate = findFundingRate(text);
  const budget = findBudget(text);
  const external = str(hit.callExternalUrl);
  const content = str(hit.contentUrl);
  const url = external || (content ? new URL(content, ctx.siteBase).toString() : undefined);

  return finishCall(
    {
      id: `interreg:${objectId}`,
      source: 'interreg',
      sourceId: objectId,
      funder: INTERREG_FUNDER,
      ...(programmes.length ? { programme: programmes.join(', '), operator: programmes.join(', ') } : {}),
      title,
      summary: teaser,
      description,
      ...(descriptionHtml ? { descriptionHtml: sanitizeHtml(descriptionHtml) } : {}),
      ...(url ? { url } : {}),
      language: 'en',
      ...(opening ? { openingDate: opening.at } : {}),
      deadlines,
      ...(str(hit.callStatus) ? { sourceStatus: str(hit.callStatus) } : {}),
      ...(rate ? { fundingRate: rate.rate } : {}),
      ...(budget ? { budget } : {}),
      applicantTypes: audienceTypes(strs(hit.targetAudience)),
      ...(strs(hit.targetAudience).length ? { applicantsText: strs(hit.targetAudience).join(', ') } : {}),
      countries: countries.length ? [...new Set(countries)] : (area?.countries ?? []),
      nuts: nuts.length ? [...new Set(nuts)] : (area?.nuts ?? []),
      keywords: strs(hit.callThemes),
      notices: rejected.map((r) => invalidDateNotice(r.raw)),
      provenance: { sourceUrl: ctx.url, contentHash: sha256(JSON.stringify(hit)) },
      raw: hit,
    },
    ctx.fetchedAt,
  );
}

/**
 * The Algolia answer: every hit that is a call, and an error per hit that is not. An answer
 * without a `hits` array is not a result list at all (the API changed): that throws.
 */
export function parseAlgoliaHits(
  body: string,
  ctx: PageContext & { siteBase: string },
): ParseResult & { nbHits: number; hitCount: number } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    throw new CrawlError('parse', `Algolia answer is not JSON: ${(err as Error).message}`, {
      url: ctx.url,
      cause: err,
    });
  }
  const hits = (json as { hits?: unknown }).hits;
  if (!Array.isArray(hits)) throw layoutChanged(ctx.url, 'no hits array in the Algolia answer');
  const calls: Call[] = [];
  const errors: RecordError[] = [];
  hits.forEach((hit: AlgoliaHit, i) => {
    try {
      calls.push(algoliaHitToCall(hit, ctx));
    } catch (err) {
      errors.push({
        id: str(hit?.objectID) || `#${i}`,
        message: err instanceof Error ? err.message : String(err),
      });
    }
  });
  const nbHits = (json as { nbHits?: unknown }).nbHits;
  return { calls, errors, nbHits: typeof nbHits === 'number' ? nbHits : hits.length, hitCount: hits.length };
}
