/** interreg: the fetch steps — the Algolia index (with key re-read), BSR posts, and the programme pages watched. */
import type { Call } from '../../src/domain/call.ts';
import { CrawlError, isCrawlError } from '../errors.ts';
import type { ProgrammeKey } from '../interreg-areas.ts';
import {
  bsrPostsToCalls,
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
  type WpPost,
} from '../interreg-sites.ts';
import type { CrawlContext } from '../types.ts';
import {
  ALGOLIA_DEFAULT_INDEX,
  type AlgoliaConfig,
  algoliaQueryBody,
  parseAlgoliaHits,
  readAlgoliaConfig,
} from './algolia.ts';

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
