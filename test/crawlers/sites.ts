import { type FixtureResponse, type FixtureServer, fixture } from '../helpers/fixture-server.ts';

/**
 * Local stand-ins for the Interreg and SKEW sites, serving the constructed pages in
 * `test/fixtures/interreg/site` and `test/fixtures/skew/site` at their real paths (every host
 * of a source answers from one server, as with `--base-url`).
 */

/** The search key embedded in the constructed calls page. */
export const PAGE_KEY = '3f1c0a5e2b7d4c9e8f6a1b2c3d4e5f60';
export const APP_ID = 'KX7R2Q9L4M';
export const ALGOLIA_QUERY = '/1/indexes/prod_en-us_content/query';
export const FILTERS = 'contentType:callForProjectsPage AND (callStatus:Open OR callStatus:Forthcoming)';

const I = 'interreg/site';
export const interregPages: Record<string, string> = {
  '/calls-for-projects/': `${I}/interreg.eu/calls-for-projects/index.html`,
  '/ueber-uns/unsere-antragsfristen/': `${I}/www.interreg-de-dk.eu/ueber-uns/unsere-antragsfristen/index.html`,
  '/wir-foerdern/pool-fuer-kuerzere-projekte/': `${I}/www.interreg-de-dk.eu/wir-foerdern/pool-fuer-kuerzere-projekte/index.html`,
  '/wir-foerdern/buergerprojektefonds/': `${I}/www.interreg-de-dk.eu/wir-foerdern/buergerprojektefonds/index.html`,
  '/news-events/news/': `${I}/www.interreg-de-dk.eu/news-events/news/index.html`,
  '/wp-json/wp/v2/posts': `${I}/interreg-baltic.eu/wp-json/posts.json`,
  '/feed/': `${I}/interreg-baltic.eu/feed/index.xml`,
  '/calls': `${I}/www.interregnorthsea.eu/calls/index.html`,
  '/our-news': `${I}/www.interregnorthsea.eu/our-news/index.html`,
  '/calls-for-proposals': `${I}/southbaltic.eu/calls-for-proposals/index.html`,
  '/news': `${I}/southbaltic.eu/news/index.html`,
};

const contentType = (file: string) =>
  file.endsWith('.json')
    ? 'application/json; charset=UTF-8'
    : file.endsWith('.xml')
      ? 'application/rss+xml; charset=UTF-8'
      : 'text/html; charset=UTF-8';

export const served = (file: string, edit: (body: string) => string = (b) => b): FixtureResponse => ({
  body: edit(fixture(file)),
  headers: { 'content-type': contentType(file) },
});

/** What the stand-in Algolia accepts; the calls page shows `pageKey`. */
export interface AlgoliaKeys {
  pageKey: string;
  validKey: string;
}

/**
 * interreg.eu with its Algolia index and the four programme sites. Algolia answers 403 to a
 * wrong key, as the real service does, and checks the query the crawler sends.
 */
export function serveInterreg(
  server: FixtureServer,
  keys: AlgoliaKeys = { pageKey: PAGE_KEY, validKey: PAGE_KEY },
) {
  server.route('GET', '/robots.txt', () => ({ body: 'User-agent: *\nDisallow: /wp-admin/\n' }));
  for (const [path, file] of Object.entries(interregPages)) server.route('GET', path, () => served(file));
  server.route('GET', '/calls-for-projects/', () =>
    served(interregPages['/calls-for-projects/']!, (b) => b.replace(PAGE_KEY, keys.pageKey)),
  );
  server.route('POST', ALGOLIA_QUERY, (req) => {
    if (
      req.headers['x-algolia-application-id'] !== APP_ID ||
      req.headers['x-algolia-api-key'] !== keys.validKey
    ) {
      return { status: 403, body: '{"message":"Invalid Application-ID or API key","status":403}' };
    }
    const params = new URLSearchParams(JSON.parse(req.body.toString('utf8')).params);
    if (params.get('filters') !== FILTERS || params.get('hitsPerPage') !== '500') {
      return { status: 400, body: '{"message":"unexpected query","status":400}' };
    }
    return served(`${I}/algolia/query.json`);
  });
  return server;
}

export const SKEW_PAGES = [
  'kommunale-foerderung.html',
  'kleinprojektefonds.html',
  'unterstuetzung-durch-nakopa.html',
  'foerderprogramm-fuer-kommunale-klimaschutz-und-klimaanpassungsprojekte.html',
  'fachkraefte-weltweit.html',
  'initiative-kommunales-know-how-nahost.html',
] as const;
export const skewFile = (page: string) => `skew/site/skew.engagement-global.de/${page}`;

/** skew.engagement-global.de: the overview and the programme pages it links to. */
export function serveSkew(server: FixtureServer) {
  server.route('GET', '/robots.txt', () => ({ body: 'User-agent: *\nDisallow: /typo3/\n' }));
  for (const page of SKEW_PAGES) server.route('GET', `/${page}`, () => served(skewFile(page)));
  return server;
}
