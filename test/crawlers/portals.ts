import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { fromPackage } from '../../src/paths.ts';
import { type FixtureResponse, type FixtureServer, fixture } from '../helpers/fixture-server.ts';

/** robots.txt as assumed for the EU hosts (not recorded): everything allowed. */
export const EU_ROBOTS =
  'User-agent: *\nDisallow: /info/funding-tenders/opportunities/portal/screen/support/\n';
/**
 * The Förderdatenbank's robots.txt asks for Crawl-delay 30 (see SOURCES.md). Tests serve the
 * same rules with a tiny delay; the 30 s value itself is checked in the HTTP client tests.
 */
export const fdbRobots = (delaySeconds: number) =>
  `User-agent: *\nCrawl-delay: ${delaySeconds}\nDisallow: /SiteGlobals/FDB/Forms/Suche/Expertensuche_Formular.html\n`;

export const SEARCH_PATH = '/search-api/prod/rest/search';
export const DETAILS_PREFIX = '/info/funding-tenders/opportunities/data/topicDetails/';

const topicDetailFiles = new Map<string, string>([
  ['digital-2026-skills-10-edtech', 'eu/topicdetails-digital-2026-skills-10-edtech.json'],
  ['smp-cosme-2024-cluster-01', 'eu/topicdetails-smp-cosme-2024-cluster-01-closed.json'],
  ...readdirSync(fromPackage('test', 'fixtures', 'eu'))
    .filter((f) => f.endsWith('-constructed.json') && f.startsWith('topicdetails-'))
    .map(
      (f) =>
        [f.replace(/^topicdetails-/, '').replace(/-constructed\.json$/, ''), `eu/${f}`] as [string, string],
    ),
]);

export const euPages: Record<string, string> = {
  '1': 'eu/search-api-page-horizon-trimmed.json',
  '2': 'eu/search-api-page2-constructed.json',
  '3': 'eu/search-api-page3-empty-constructed.json',
};

/**
 * The EU search API and Topic Details, as the real services behave: the query must be a
 * multipart FILE part of type application/json (a plain field gets 500), identifiers in the
 * details path must be lower case (upper case is a 404).
 */
export function serveEu(server: FixtureServer, pages: Record<string, string> = euPages): FixtureServer {
  server.route('GET', '/robots.txt', () => ({ body: EU_ROBOTS, headers: { 'content-type': 'text/plain' } }));
  server.route('POST', SEARCH_PATH, async (req) => {
    if (req.query.get('apiKey') !== 'SEDIA') return { status: 401, body: '{"error":"apiKey"}' };
    const form = await new Request('http://x/', {
      method: 'POST',
      headers: { 'content-type': String(req.headers['content-type']) },
      body: new Uint8Array(req.body),
    }).formData();
    const query = form.get('query');
    if (!(query instanceof File) || query.type !== 'application/json') {
      return { status: 500, body: '{"message":"Internal server error"}' };
    }
    const q = JSON.parse(await query.text());
    if (!JSON.stringify(q).includes('31094502')) return { status: 400, body: 'unexpected query' };
    const file = pages[req.query.get('pageNumber') ?? ''];
    if (!file) return { body: fixture('eu/search-api-page3-empty-constructed.json') };
    return { body: fixture(file), headers: { 'content-type': 'application/json' } };
  });
  for (const [id, file] of topicDetailFiles) {
    server.route('GET', `${DETAILS_PREFIX}${id}.json`, () => ({
      body: fixture(file),
      headers: { 'content-type': 'application/json' },
    }));
  }
  return server;
}

export const FDB_SEARCH = '/SiteGlobals/FDB/Forms/Suche/Foederprogrammsuche_Formular.html';

/**
 * The recorded result page is page 1 of the unfiltered search (2,395 hits). Served as page 1 of
 * the Schleswig-Holstein search, whose page 2 (constructed) holds the last 2 of 12 programmes, it
 * states those 12 hits: the crawler treats fewer programmes read than hits stated as partial.
 */
export const fdbShPage1 = () =>
  fixture('bmz/foerderdatenbank-search-results-page1.html').replace(
    'id="hits--count">2395<',
    'id="hits--count">12<',
  );

/** The Förderdatenbank: three searches (SH, bundesweit, EU), session-style page-2 links, detail pages. */
export function serveFdb(server: FixtureServer, options: { crawlDelay?: number } = {}): FixtureServer {
  server.route('GET', '/robots.txt', () => ({ body: fdbRobots(options.crawlDelay ?? 0.001) }));
  server.route('GET', FDB_SEARCH, (req) => {
    const html = (file: string) => ({
      body: fixture(`bmz/${file}`),
      headers: { 'content-type': 'text/html; charset=UTF-8' },
    });
    const gtp = req.query.get('gtp');
    if (gtp)
      return gtp.endsWith('list%3D2')
        ? html('search-page2-constructed.html')
        : { status: 404, body: 'session expired' };
    if (req.query.get('cl2Processes_Foerderberechtigte') !== 'kommune')
      return { status: 400, body: 'bad filter' };
    const area = req.query.get('cl2Processes_Foerdergebiet');
    if (area === 'schleswig_holstein')
      return { body: fdbShPage1(), headers: { 'content-type': 'text/html; charset=UTF-8' } };
    if (area === '_bundesweit') return html('search-bundesweit-constructed.html');
    if (req.query.get('cl2Processes_Foerdergeber') === 'eu') return html('search-eu-empty-constructed.html');
    return { status: 400, body: 'bad filter' };
  });
  const recorded: Record<string, string> = {
    'Bund/BMWi/exist-women-2024': 'bmz/foerderdatenbank-detail-bund-exist-women.html',
    'Land/Hessen/fue-unternehmen-hessen-864943': 'bmz/foerderdatenbank-detail-rawkeys-variant-hessen.html',
    'Land/Thueringen/beteiligungen-thueringen-mbg-express':
      'bmz/foerderdatenbank-detail-tabs-thueringen-excerpt.html',
  };
  const own = readdirSync(fromPackage('test', 'fixtures', 'bmz', 'details')).map(
    (f) => [f.replace(/\.html$/, '').replaceAll('__', '/'), `bmz/details/${f}`] as const,
  );
  for (const [key, file] of [...Object.entries(recorded), ...own]) {
    server.route('GET', `/FDB/Content/DE/Foerderprogramm/${key}.html`, (req): FixtureResponse => {
      const body = fixture(file);
      const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
      if (req.headers['if-none-match'] === etag) return { status: 304, headers: { etag } };
      return { body, headers: { 'content-type': 'text/html; charset=UTF-8', etag } };
    });
  }
  return server;
}

/** Config for crawl tests: no real delays, short timeouts, quick backoff. */
export const fastCrawlEnv = {
  CRAWL_MIN_DELAY_MS: '0',
  CRAWL_TIMEOUT_MS: '500',
  CRAWL_BACKOFF_MS: '5',
  CRAWL_RETRIES: '2',
  EU_FT_PAGE_SIZE: '4',
};
