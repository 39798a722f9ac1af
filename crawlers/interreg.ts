/**
 * Source `interreg`: the aggregated call index on interreg.eu (a hosted Algolia search fed from
 * keep.eu; pure parse functions here) plus the programme sites that matter for Kiel, watched
 * directly (parsers in `interreg-sites.ts`). The adapter at the end fetches; when the index
 * refuses us even with a freshly read key, the programme sites still count and the run is partial.
 */
import type { Call, Deadline } from '../src/domain/call.ts';
import type { ApplicantType } from '../src/domain/enums.ts';
import { invalidDateNotice, parseDate, type RejectedDate } from './dates.ts';
import { classifyDates, toDeadlines } from './deadlines.ts';
import { CrawlError, isCrawlError, toCrawlError } from './errors.ts';
import { findBudget, findFundingRate, oneLine } from './facts.ts';
import { countryCode, type ProgrammeKey, programmeAreas, programmeByName } from './interreg-areas.ts';
import {
  bsrPostsToCalls,
  INTERREG_FUNDER,
  layoutChanged,
  type PageContext,
  type ParseResult,
  parseDeDkCitizensFund,
  parseDeDkDeadlines,
  parseDeDkPool,
  parseNewsList,
  parseNorthSeaCalls,
  parseRssFeed,
  parseSouthBalticCalls,
  parseWpPosts,
  type RecordError,
  type WpPost,
} from './interreg-sites.ts';
import { joinTwins } from './interreg-twins.ts';
import { finishCall, htmlToText } from './page.ts';
import { sanitizeHtml, sha256 } from './text.ts';
import type { CrawlContext, CrawlItem, ListingCount, SourceAdapter } from './types.ts';

// ---------------------------------------------------------------------------------------------
// interreg.eu and its Algolia index

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

// ---------------------------------------------------------------------------------------------
// The adapter

/** Paths of the pages watched, under each programme's base URL. */
export const INTERREG_PATHS = {
  callsPage: '/calls-for-projects/',
  algoliaQuery: (index: string) => `/1/indexes/${encodeURIComponent(index)}/query`,
  deDkDeadlines: '/ueber-uns/unsere-antragsfristen/',
  deDkPool: '/wir-foerdern/pool-fuer-kuerzere-projekte/',
  deDkCitizensFund: '/wir-foerdern/buergerprojektefonds/',
  deDkNews: '/news-events/news/',
  bsrPosts: '/wp-json/wp/v2/posts',
  bsrFeed: '/feed/',
  northSeaCalls: '/calls',
  northSeaNews: '/our-news',
  southBalticCalls: '/calls-for-proposals',
  southBalticNews: '/news',
} as const;

/**
 * Stand-in base for the Algolia role: the real host is `<app id>-dsn.algolia.net`, known only
 * once the app id has been read from the page.
 */
export const ALGOLIA_FROM_APP_ID = 'https://algolia.net';

/** Algolia's host for an application id, checked so a page cannot send us anywhere else. */
export function algoliaBase(configured: string, appId: string): string {
  if (new URL(configured).host !== new URL(ALGOLIA_FROM_APP_ID).host) return configured;
  if (!/^[A-Za-z0-9]{6,20}$/.test(appId))
    throw new CrawlError('layout', `implausible Algolia app id "${appId}"`);
  return `https://${appId.toLowerCase()}-dsn.algolia.net`;
}

async function fetchAlgoliaConfig(
  ctx: CrawlContext,
  override: Partial<AlgoliaConfig>,
): Promise<AlgoliaConfig> {
  const url = `${ctx.baseUrls.site}${INTERREG_PATHS.callsPage}`;
  const page = await ctx.http.request(url);
  const read = readAlgoliaConfig(page.body);
  if (!read) throw new CrawlError('layout', 'no Algolia app id and search key on the calls page', { url });
  return { ...read, ...(override.indexName ? { indexName: override.indexName } : {}) };
}

async function queryAlgolia(ctx: CrawlContext, cfg: AlgoliaConfig) {
  const base = algoliaBase(ctx.baseUrls.algolia!, cfg.appId);
  ctx.http.allowHost(new URL(base).host);
  const url = `${base}${INTERREG_PATHS.algoliaQuery(cfg.indexName)}`;
  const res = await ctx.http.request(url, {
    method: 'POST',
    body: algoliaQueryBody(),
    headers: {
      'content-type': 'application/json',
      'x-algolia-application-id': cfg.appId,
      'x-algolia-api-key': cfg.apiKey,
    },
  });
  return parseAlgoliaHits(res.body, { url, fetchedAt: ctx.now, siteBase: ctx.baseUrls.site! });
}

const isForbidden = (err: unknown) => isCrawlError(err) && (err.status === 403 || err.status === 401);

/**
 * All open and forthcoming calls from the index. The search key rotates: with a configured
 * override we try that first; a 403 makes us re-read the key from the page once.
 */
export async function crawlAlgolia(ctx: CrawlContext, override: Partial<AlgoliaConfig>) {
  const configured =
    override.appId && override.apiKey
      ? {
          appId: override.appId,
          apiKey: override.apiKey,
          indexName: override.indexName ?? ALGOLIA_DEFAULT_INDEX,
        }
      : undefined;
  const first = configured ?? (await fetchAlgoliaConfig(ctx, override));
  try {
    return await queryAlgolia(ctx, first);
  } catch (err) {
    if (!isForbidden(err)) throw err;
    ctx.logger.info('Algolia refused the search key (403); reading the key from the page again');
    const fresh = await fetchAlgoliaConfig(ctx, override);
    return await queryAlgolia(ctx, fresh);
  }
}

/** BSR posts from the WordPress REST API, or from the RSS feed when the site does not answer it. */
async function bsrPosts(ctx: CrawlContext): Promise<WpPost[]> {
  const api = `${ctx.baseUrls.bsr}${INTERREG_PATHS.bsrPosts}?per_page=50&_embed=wp:term`;
  try {
    const res = await ctx.http.request(api, { headers: { accept: 'application/json' } });
    return parseWpPosts(res.body, { url: api, fetchedAt: ctx.now });
  } catch (err) {
    // robots.txt or a block stays fatal; anything else (404, no JSON, a 5xx) means: use the feed.
    if (isCrawlError(err) && (err.kind === 'robots' || err.kind === 'blocked')) throw err;
    ctx.logger.info({ err: String(err) }, 'BSR WordPress API unavailable; reading the RSS feed');
    const feed = `${ctx.baseUrls.bsr}${INTERREG_PATHS.bsrFeed}`;
    const res = await ctx.http.request(feed);
    return parseRssFeed(res.body, { url: feed, fetchedAt: ctx.now });
  }
}

interface SitePage {
  label: string;
  read(ctx: CrawlContext): Promise<ParseResult>;
  /** A page that announces calls (news) rather than being their page: never an index entry's twin. */
  announces?: true;
  /** The programme whose calls the page is (for pages that are calls' own pages). */
  programme?: ProgrammeKey;
}

const page =
  (role: string, path: string, parse: (body: string, pctx: PageContext) => Call | Call[]) =>
  async (ctx: CrawlContext): Promise<ParseResult> => {
    const url = `${ctx.baseUrls[role]}${path}`;
    const res = await ctx.http.request(url);
    const out = parse(res.body, { url, fetchedAt: ctx.now });
    return { calls: Array.isArray(out) ? out : [out], errors: [] };
  };

/** The programme sites watched directly, also when the index is down. */
export const programmePages: readonly SitePage[] = [
  {
    label: 'DE-DK deadlines',
    read: page('deDk', INTERREG_PATHS.deDkDeadlines, parseDeDkDeadlines),
    programme: 'de-dk',
  },
  { label: 'DE-DK pool', read: page('deDk', INTERREG_PATHS.deDkPool, parseDeDkPool), programme: 'de-dk' },
  {
    label: 'DE-DK Bürgerprojektefonds',
    read: page('deDk', INTERREG_PATHS.deDkCitizensFund, parseDeDkCitizensFund),
    programme: 'de-dk',
  },
  {
    label: 'DE-DK news',
    read: page('deDk', INTERREG_PATHS.deDkNews, (b, c) => parseNewsList(b, 'de-dk', c)),
    announces: true,
  },
  {
    label: 'BSR posts',
    read: async (ctx) =>
      bsrPostsToCalls(await bsrPosts(ctx), { url: `${ctx.baseUrls.bsr}/`, fetchedAt: ctx.now }),
    programme: 'bsr',
  },
  {
    label: 'North Sea calls',
    read: page('northSea', INTERREG_PATHS.northSeaCalls, parseNorthSeaCalls),
    programme: 'north-sea',
  },
  {
    label: 'North Sea news',
    read: page('northSea', INTERREG_PATHS.northSeaNews, (b, c) => parseNewsList(b, 'north-sea', c)),
    announces: true,
  },
  {
    label: 'South Baltic calls',
    read: page('southBaltic', INTERREG_PATHS.southBalticCalls, parseSouthBalticCalls),
    programme: 'south-baltic',
  },
  {
    label: 'South Baltic news',
    read: page('southBaltic', INTERREG_PATHS.southBalticNews, (b, c) => parseNewsList(b, 'south-baltic', c)),
    announces: true,
  },
];

/** A record-level problem as the framework's error item. */
const recordError = (e: RecordError, url?: string): CrawlItem => ({
  type: 'error',
  error: new CrawlError('parse', `${e.id}: ${e.message}`, url ? { url } : {}),
});

export const interreg: SourceAdapter = {
  id: 'interreg',
  name: 'Interreg (interreg.eu index; Deutschland-Danmark, Baltic Sea Region, North Sea, South Baltic)',
  defaultBaseUrls: {
    site: 'https://interreg.eu',
    algolia: ALGOLIA_FROM_APP_ID,
    deDk: 'https://www.interreg-de-dk.eu',
    bsr: 'https://interreg-baltic.eu',
    northSea: 'https://www.interregnorthsea.eu',
    southBaltic: 'https://southbaltic.eu',
  },
  async *crawl(ctx) {
    let complete = true;
    const steps = 1 + programmePages.length;
    ctx.progress('interreg.eu index', 0, steps);
    let index: Call[] = [];
    const counts: ListingCount[] = [];
    try {
      const result = await crawlAlgolia(ctx, ctx.config.crawl.interreg.algolia);
      index = result.calls;
      // One page of up to 500 hits: more stated hits than returned means the index was not read whole.
      counts.push({ label: 'interreg.eu index (Algolia)', stated: result.nbHits, read: result.hitCount });
      for (const e of result.errors) yield recordError(e);
    } catch (err) {
      // The index is down or refuses us even with a fresh key: the programme sites still count,
      // but the listing is incomplete, so nothing from the index is marked "no longer listed".
      const e = toCrawlError(err);
      complete = false;
      yield {
        type: 'error',
        error: new CrawlError(e.kind, `interreg.eu index unavailable, programme sites only: ${e.message}`, {
          ...(e.url ? { url: e.url } : {}),
          ...(e.status ? { status: e.status } : {}),
          errorClass: 'non-retryable',
        }),
      };
    }
    // Calls are handed on once every page is read: an index entry may repeat a site's call.
    const callPages: Call[] = [];
    const announced: Call[] = [];
    /** Programmes whose own call page could not be read in this run. */
    const unread = new Set<string>();
    let fatal: CrawlError | undefined;
    let done = 1;
    for (const site of programmePages) {
      ctx.progress(site.label, done++, steps);
      let result: ParseResult;
      try {
        result = await site.read(ctx);
      } catch (err) {
        const e = toCrawlError(err);
        // A changed layout, robots.txt or a block page stops the run (after what was read is
        // handed on); one unreachable page does not.
        if (site.programme) unread.add(programmeAreas[site.programme].name);
        if (e.critical) {
          fatal = e;
          // The pages after it are not read either.
          for (const rest of programmePages.slice(done - 1))
            if (rest.programme) unread.add(programmeAreas[rest.programme].name);
          break;
        }
        complete = false;
        yield { type: 'error', error: e };
        continue;
      }
      (site.announces ? announced : callPages).push(...result.calls);
      for (const e of result.errors) yield recordError(e);
    }
    const joined = joinTwins(index, callPages);
    for (const t of joined.twins)
      ctx.logger.info(t, 'interreg.eu index entry repeats a programme site call; kept once');
    const ids: string[] = [];
    for (const call of [...callPages, ...announced]) {
      ids.push(call.id);
      yield { type: 'call', call };
    }
    for (const call of joined.index) {
      // Its twin may be on the programme page that failed: an entry stored before stays listed
      // as it is, a new one waits for the next run rather than becoming a second copy.
      if (call.programme && unread.has(call.programme)) {
        if (ctx.known(call.id)) {
          ids.push(call.id);
          yield { type: 'seen', id: call.id };
        } else ctx.logger.info({ id: call.id }, 'index entry held back: its programme page was not read');
        continue;
      }
      ids.push(call.id);
      yield { type: 'call', call };
    }
    if (fatal) throw fatal;
    ctx.progress('done', steps, steps);
    yield { type: 'listing', ids, complete, counts };
  },
};
