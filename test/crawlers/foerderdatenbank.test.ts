import { describe, expect, it } from 'vitest';
import {
  FDB_ATTRIBUTION,
  foerderdatenbank,
  parseDetailPage,
  parseResultList,
  searchUrls,
  toCall,
} from '../../crawlers/foerderdatenbank.ts';
import { runCrawl } from '../../crawlers/run.ts';
import { getCall, getCallChanges, getCalls } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import { useTestContext } from '../helpers/context.ts';
import { type FixtureServer, fixture, useFixtureServer } from '../helpers/fixture-server.ts';
import { FDB_SEARCH, fastCrawlEnv, fdbShPage1, serveFdb } from './portals.ts';

const SITE = 'http://fdb.test';
const EXIST = 'foerderdatenbank:Bund/BMWi/exist-women-2024';
const HESSEN = 'foerderdatenbank:Land/Hessen/fue-unternehmen-hessen-864943';
const NAKOPA = 'foerderdatenbank:Bund/BMZ/kommunale-klima-nachhaltigkeitspartnerschaften';
const DETAIL = (id: string) => `/FDB/Content/DE/Foerderprogramm/${id.split(':')[1]}.html`;

describe('foerderdatenbank parsing (recordings)', () => {
  it('reads the result list: hit count, cards, and the session-bound "weiter" link', () => {
    const list = parseResultList(fixture('bmz/foerderdatenbank-search-results-page1.html'), SITE);
    expect(list.hits).toBe(2395);
    expect(list.entries).toHaveLength(10);
    expect(list.entries[0]).toMatchObject({
      id: 'foerderdatenbank:Land/Sachsen/buergschaft-sachsen-beteiligung',
      title: 'Beteiligungsgarantien der Bürgschaftsbank Sachsen',
      // Resolved against the configured site, not the page's <base href> (the real host).
      url: `${SITE}/FDB/Content/DE/Foerderprogramm/Land/Sachsen/buergschaft-sachsen-beteiligung.html`,
    });
    expect(list.next).toBe(
      `${SITE}/SiteGlobals/FDB/Forms/Suche/Foederprogrammsuche_Formular.html?gtp=%2526816beae2-d57e-4bdc-b55d-392bc1e17027_list%253D2&filterCategories=FundingProgram`,
    );
    expect(parseResultList(fixture('bmz/search-page2-constructed.html'), SITE).next).toBeUndefined();
  });

  it('tells a block page from a changed layout from an empty result', () => {
    expect(() => parseResultList(fixture('bmz/block-page-constructed.html'), SITE)).toThrowError(
      expect.objectContaining({ kind: 'blocked' }),
    );
    const relabelled = fixture('bmz/foerderdatenbank-search-results-page1.html')
      .replaceAll('card--fundingprogram', 'teaser--programme')
      .replace('id="hits--count"', 'id="result-count"');
    expect(() => parseResultList(relabelled, SITE)).toThrowError(expect.objectContaining({ kind: 'layout' }));
    const cardless = fixture('bmz/foerderdatenbank-search-results-page1.html').replaceAll(
      'card--fundingprogram',
      'x',
    );
    expect(() => parseResultList(cardless, SITE)).toThrowError(expect.objectContaining({ kind: 'layout' }));
    expect(parseResultList(fixture('bmz/search-eu-empty-constructed.html'), SITE)).toMatchObject({
      hits: 0,
      entries: [],
    });
  });

  it('reads a detail page with the normal labels', () => {
    const page = parseDetailPage(fixture('bmz/foerderdatenbank-detail-bund-exist-women.html'));
    expect(page).toMatchObject({
      title:
        'Förderung von Unternehmerinnen in der Vorgründungsphase (EXIST-Women) im Rahmen des Förderprogramms „Existenzgründungen aus der Wissenschaft“',
      facts: {
        Förderart: ['Zuschuss'],
        Förderbereich: [
          'Beratung',
          'Existenzgründung & -festigung',
          'Frauenförderung',
          'Forschung & Innovation (themenoffen)',
        ],
        Fördergebiet: ['bundesweit'],
        Förderberechtigte: ['Forschungseinrichtung', 'Hochschule'],
      },
      funder: 'Bundesministerium für Wirtschaft und Klimaschutz (BMWK)',
    });
    expect(page.contact).toMatch(/^Projektträger Jülich \(PtJ\), Forschungszentrum Jülich GmbH/);
    expect(page.links).toHaveLength(4);
    expect(page.links[0]).toEqual({
      label: 'EXIST-Women',
      url: 'https://www.exist.de/EXIST/Navigation/DE/Gruendungsfoerderung/EXIST-WOMEN/EXIST-WOMEN/exist-women.html',
    });
    expect(page.description).toContain('spätestens bis zum 30.09. jeden Jahres');
  });

  it('reads the deadlines written in the text, a yearly one as its next date', () => {
    const page = parseDetailPage(fixture('bmz/foerderdatenbank-detail-bund-exist-women.html'));
    const entry = {
      id: EXIST,
      sourceId: 'Bund/BMWi/exist-women-2024',
      url: 'https://www.foerderdatenbank.de/x.html',
      title: page.title,
      fingerprint: 'f',
    };
    const at = (now: string) => toCall(entry, page, { now: new Date(now), fetchedAt: now });
    const nov2026 = at('2026-11-25T12:00:00Z');
    expect(nov2026.deadlines).toEqual([
      { at: '2024-12-06T22:59:00.000Z', timeZone: 'Europe/Berlin', raw: '06.12.2024', stage: 'single' },
      {
        at: '2027-09-30T21:59:00.000Z',
        timeZone: 'Europe/Berlin',
        raw: '30.09. jeden Jahres',
        stage: 'single',
      },
    ]);
    expect(nov2026.status).toBe('open');
    // After the last yearly date the sentence allows ("bis 2027"): closed, not open for ever.
    const oct2027 = at('2027-10-01T12:00:00Z');
    expect(oct2027.deadlines.map((d) => d.at)).toEqual([
      '2024-12-06T22:59:00.000Z',
      '2027-09-30T21:59:00.000Z',
    ]);
    expect(oct2027.status).toBe('closed');
    // A programme whose text names no deadline stays open-ended (a guideline's date is none).
    const hessen = parseDetailPage(fixture('bmz/foerderdatenbank-detail-rawkeys-variant-hessen.html'));
    expect(hessen.description).toMatch(/27\.11\.2024/);
    expect(toCall(entry, hessen, { now: new Date('2026-11-25T12:00:00Z'), fetchedAt: 'x' })).toMatchObject({
      deadlines: [],
      status: 'open-ended',
    });
  });

  it('maps the raw-key variant (Foerderart: zuschuss) to the same facts', () => {
    const page = parseDetailPage(fixture('bmz/foerderdatenbank-detail-rawkeys-variant-hessen.html'));
    expect(page.facts).toEqual({
      Förderart: ['Zuschuss'],
      Förderbereich: ['Forschung & Innovation (themenspezifisch)'],
      Fördergebiet: ['Hessen'],
      Förderberechtigte: ['Unternehmen'],
    });
    expect(page.funder).toBe(
      'Hessisches Ministerium für Wirtschaft, Energie, Verkehr, Wohnen und ländlichen Raum',
    );
    expect(page.links).toEqual([
      {
        label: 'Kundenportal der WIBank (externer Link)',
        url: 'https://foerderportal.wibank.de/site/#/public/home',
      },
    ]);
  });

  it('reads the tab texts of a tabbed page (Kurzzusammenfassung, Zusatzinfos, Rechtsgrundlage)', () => {
    const page = parseDetailPage(fixture('bmz/foerderdatenbank-detail-tabs-thueringen-excerpt.html'));
    expect(page.title).toBe(
      'Beteiligungen der Mittelständischen Beteiligungsgesellschaft Thüringen mbH (MBG express)',
    );
    expect(page.sections.map((x) => x.label)).toEqual([
      'Kurzzusammenfassung',
      'Zusatzinfos',
      'Rechtsgrundlage',
    ]);
    expect(page.summary).toBe(
      'Wenn Sie Investitionen planen, um die Wettbewerbsfähigkeit Ihres Unternehmens zu verbessern, können Sie unter bestimmten Voraussetzungen eine Beteiligung erhalten.',
    );
    expect(page.sections[0]!.text).toContain('• Investitionen,\n• Modernisierungen,');
    // Nested rich-text blocks are read once, not twice.
    expect(page.description.match(/Die Laufzeit beträgt 10 Jahre\./g)).toHaveLength(1);
    expect(page.descriptionHtml).toContain('<h2>Zusatzinfos</h2>');
    expect(page.facts.Förderart).toEqual(['Beteiligung']);
    expect(page.funder).toBeUndefined(); // this page names no Fördergeber, only an Ansprechpunkt
    expect(page.contact).toBe(
      'Mittelständische Beteiligungsgesellschaft Thüringen mbH (MBG), Bonifaciusstraße 19, 99084 Erfurt, Tel: 0361 21350, Fax: 0361 2135100, info@mbg-thueringen.de',
    );
  });

  it('builds the three searches from the configured site', () => {
    expect(searchUrls(SITE)).toEqual([
      `${SITE}${FDB_SEARCH}?filterCategories=FundingProgram&cl2Processes_Foerderberechtigte=kommune&cl2Processes_Foerdergebiet=schleswig_holstein`,
      `${SITE}${FDB_SEARCH}?filterCategories=FundingProgram&cl2Processes_Foerderberechtigte=kommune&cl2Processes_Foerdergebiet=_bundesweit`,
      `${SITE}${FDB_SEARCH}?filterCategories=FundingProgram&cl2Processes_Foerderberechtigte=kommune&cl2Processes_Foerdergeber=eu`,
    ]);
  });
});

/** Serves the searches like `serveFdb`, with the bundesweit page replaced. */
function routeSearches(server: FixtureServer, bundesweit: string) {
  server.route('GET', FDB_SEARCH, (req) => {
    if (req.query.get('gtp')) return { body: fixture('bmz/search-page2-constructed.html') };
    if (req.query.get('cl2Processes_Foerdergebiet') === '_bundesweit') return { body: bundesweit };
    if (req.query.get('cl2Processes_Foerdergeber') === 'eu')
      return { body: fixture('bmz/search-eu-empty-constructed.html') };
    return { body: fdbShPage1() };
  });
}

describe('foerderdatenbank crawl over HTTP', () => {
  const makeCtx = useTestContext();
  const makeServer = useFixtureServer();

  async function setup(env: Record<string, string> = {}) {
    const server = serveFdb(makeServer());
    const base = await server.start();
    const ctx = makeCtx({ ...fastCrawlEnv, ...env });
    const crawl = () => runCrawl(ctx, foerderdatenbank, { baseUrl: base, trigger: 'test' });
    return { server, base, ctx, crawl };
  }
  const detailRequests = (server: { requests: { path: string }[] }) =>
    server.requests.filter((r) => r.path.startsWith('/FDB/Content/')).length;
  const ids = (ctx: AppContext) =>
    getCalls(ctx.dbh.db)
      .map((c) => c.id)
      .sort();

  it('fills a fresh database: 13 programmes over three searches and a second page', async () => {
    const { ctx, crawl, server, base } = await setup();
    const run = await crawl();
    expect(run).toMatchObject({ outcome: 'ok', listed: 13, newCount: 13, errorCount: 0 });
    // SH page 1 → "weiter" (gtp) page 2, bundesweit, EU (no hits); EXIST-Women is listed twice, fetched once.
    expect(server.count('GET', FDB_SEARCH)).toBe(4);
    expect(server.requests.some((r) => r.query.get('gtp')?.endsWith('list%3D2'))).toBe(true);
    expect(detailRequests(server)).toBe(13);

    expect(getCall(ctx.dbh.db, EXIST)).toMatchObject({
      source: 'foerderdatenbank',
      sourceId: 'Bund/BMWi/exist-women-2024',
      title:
        'Förderung von Unternehmerinnen in der Vorgründungsphase (EXIST-Women) im Rahmen des Förderprogramms „Existenzgründungen aus der Wissenschaft“',
      funder: 'Bundesministerium für Wirtschaft und Klimaschutz (BMWK)',
      programme: 'Bundesprogramm',
      url: `${base}/FDB/Content/DE/Foerderprogramm/Bund/BMWi/exist-women-2024.html`,
      language: 'de',
      applicantTypes: ['research', 'university'],
      applicantsText: 'Forschungseinrichtung, Hochschule',
      countries: ['DE'],
      nuts: [],
      keywords: [
        'Beratung',
        'Existenzgründung & -festigung',
        'Frauenförderung',
        'Forschung & Innovation (themenoffen)',
        'Zuschuss',
      ],
      provenance: { attribution: FDB_ATTRIBUTION },
    });
    // Deadlines from the text: one dated (past), one yearly as its next date (capped at 2027).
    const exist = getCall(ctx.dbh.db, EXIST)!;
    expect(exist.deadlines.map((d) => d.raw)).toEqual(['06.12.2024', '30.09. jeden Jahres']);
    expect(exist.deadlines[0]!.at).toBe('2024-12-06T22:59:00.000Z');
    expect(exist.deadlines[1]!.at).toMatch(/^20\d\d-09-30T21:59:00\.000Z$/);
    expect(exist.status).toBe(Date.parse(exist.deadlines[1]!.at) >= Date.now() ? 'open' : 'closed');
    expect(getCall(ctx.dbh.db, HESSEN)).toMatchObject({
      title: 'Förderung von Forschung und Entwicklung in Unternehmen',
      programme: 'Landesprogramm Hessen',
      applicantTypes: ['company'],
      nuts: ['DE7'],
      status: 'open-ended',
    });
    expect(getCall(ctx.dbh.db, NAKOPA)).toMatchObject({
      funder: 'Bundesministerium für wirtschaftliche Zusammenarbeit und Entwicklung (BMZ)',
      applicantTypes: ['municipality'],
    });
    expect(
      getCall(ctx.dbh.db, 'foerderdatenbank:Land/Thueringen/foerderung-von-kleinklaeranlagen'),
    ).toMatchObject({
      applicantTypes: ['municipality', 'individual', 'public-body'],
      nuts: ['DEG'],
    });
    // The real tabbed page: no Fördergeber named, so the Land is the funder; the summary is the Kurztext.
    expect(
      getCall(ctx.dbh.db, 'foerderdatenbank:Land/Thueringen/beteiligungen-thueringen-mbg-express'),
    ).toMatchObject({
      funder: 'Land Thüringen',
      programme: 'Landesprogramm Thüringen',
      summary:
        'Wenn Sie Investitionen planen, um die Wettbewerbsfähigkeit Ihres Unternehmens zu verbessern, können Sie unter bestimmten Voraussetzungen eine Beteiligung erhalten.',
      keywords: ['Unternehmensfinanzierung', 'Beteiligung'],
      nuts: ['DEG'],
    });
    // Texts unmodified (CC BY-ND): the description keeps the page's wording.
    expect(getCall(ctx.dbh.db, EXIST)!.description).toContain(
      'Als Hochschule oder Forschungseinrichtung können Sie einen Förderantrag bis 2027 und dabei spätestens bis zum 30.09. jeden Jahres stellen.',
    );
  });

  it('a second crawl fetches no detail page and changes nothing', async () => {
    const { ctx, crawl, server } = await setup();
    await crawl();
    const before = detailRequests(server);
    const run = await crawl();
    expect(run).toMatchObject({ outcome: 'ok', newCount: 0, changedCount: 0, unchangedCount: 13 });
    expect(detailRequests(server)).toBe(before);
    expect(getCallChanges(ctx.dbh.db, EXIST)).toEqual([]);
  });

  it('moves a yearly deadline on when its date has passed, though the page is unchanged and not read again', async () => {
    const { ctx, base, server } = await setup();
    const crawlAt = (now: string) =>
      runCrawl(ctx, foerderdatenbank, { baseUrl: base, trigger: 'test', now: new Date(now) });
    await crawlAt('2025-09-01T08:00:00Z');
    const yearly = () =>
      getCall(ctx.dbh.db, EXIST)!.deadlines.find((d) => d.raw === '30.09. jeden Jahres')?.at;
    expect(yearly()).toBe('2025-09-30T21:59:00.000Z');
    const before = detailRequests(server);
    const run = await crawlAt('2025-10-02T08:00:00Z');
    expect(detailRequests(server)).toBe(before);
    expect(run).toMatchObject({ outcome: 'ok', changedCount: 1, unchangedCount: 12 });
    expect(yearly()).toBe('2026-09-30T21:59:00.000Z');
    expect(getCall(ctx.dbh.db, EXIST)!.status).toBe('open');
    expect(getCallChanges(ctx.dbh.db, EXIST)).toHaveLength(1);
    // The next day nothing moves: no change, no history.
    expect(await crawlAt('2025-10-03T08:00:00Z')).toMatchObject({ changedCount: 0, unchangedCount: 13 });
    expect(getCallChanges(ctx.dbh.db, EXIST)).toHaveLength(1);
  });

  it('refreshes old copies with conditional requests; 304 keeps them', async () => {
    const { crawl, server } = await setup({ FDB_DETAIL_REFRESH_DAYS: '0' });
    await crawl();
    const run = await crawl();
    expect(run).toMatchObject({ outcome: 'ok', unchangedCount: 13 });
    const refreshes = server.requests.filter((r) => r.path.startsWith('/FDB/Content/')).slice(13);
    expect(refreshes).toHaveLength(13);
    expect(refreshes.every((r) => typeof r.headers['if-none-match'] === 'string')).toBe(true);
  });

  it('a changed card refetches only that programme and records the change', async () => {
    const { ctx, crawl, server } = await setup();
    await crawl();
    const page = fixture('bmz/search-bundesweit-constructed.html').replace(
      '(Nakopa) </span>',
      '(Nakopa) 2027 </span>',
    );
    const detail = fixture(
      'bmz/details/Bund__BMZ__kommunale-klima-nachhaltigkeitspartnerschaften.html',
    ).replace(
      '<h1 class="title"> Kommunale Klima- und Nachhaltigkeitspartnerschaften (Nakopa) </h1>',
      '<h1 class="title"> Kommunale Klima- und Nachhaltigkeitspartnerschaften (Nakopa) 2027 </h1>',
    );
    const original = server.requests.length;
    server.route('GET', DETAIL(NAKOPA), () => ({ body: detail }));
    routeSearches(server, page);
    const run = await crawl();
    expect(run).toMatchObject({ outcome: 'ok', changedCount: 1, unchangedCount: 12 });
    expect(
      server.requests
        .slice(original)
        .filter((r) => r.path.startsWith('/FDB/Content/'))
        .map((r) => r.path),
    ).toEqual([DETAIL(NAKOPA)]);
    expect(getCallChanges(ctx.dbh.db, NAKOPA)).toEqual([
      expect.objectContaining({
        field: 'title',
        newValue: 'Kommunale Klima- und Nachhaltigkeitspartnerschaften (Nakopa) 2027',
      }),
    ]);
  });

  it('a block page mid-run: blocked, the listing is kept, and the next run resumes without re-walking it', async () => {
    const { ctx, crawl, server } = await setup();
    server.route('GET', DETAIL(HESSEN), () => ({ body: fixture('bmz/block-page-constructed.html') }));
    const run1 = await crawl();
    expect(run1.outcome).toBe('blocked');
    expect(run1.errors[0]).toMatchObject({ kind: 'blocked', message: expect.stringContaining('rejected') });
    const savedFirst = ids(ctx);
    expect(savedFirst.length).toBeGreaterThan(0);
    expect(savedFirst).not.toContain(HESSEN);
    expect(getCalls(ctx.dbh.db).every((c) => c.delistedAt === null)).toBe(true);

    serveFdb(server); // the block is lifted
    const searchesBefore = server.count('GET', FDB_SEARCH);
    const detailsBefore = detailRequests(server);
    const run2 = await crawl();
    expect(run2).toMatchObject({ outcome: 'ok', listed: 13 });
    expect(server.count('GET', FDB_SEARCH)).toBe(searchesBefore);
    // Only the programmes the blocked run had not stored yet are fetched.
    expect(detailRequests(server) - detailsBefore).toBe(13 - savedFirst.length);
    expect(ids(ctx)).toHaveLength(13);
  });

  it('a block page instead of the result list: blocked, nothing touched', async () => {
    const { ctx, crawl, server } = await setup();
    await crawl();
    server.route('GET', FDB_SEARCH, () => ({ body: fixture('bmz/block-page-constructed.html') }));
    const before = getCalls(ctx.dbh.db);
    const run = await crawl();
    expect(run.outcome).toBe('blocked');
    expect(ids(ctx)).toHaveLength(13);
    expect(getCalls(ctx.dbh.db)).toEqual(before);
    expect(before.every((c) => c.delistedAt === null)).toBe(true);
  });

  it('a failing second result page: partial, page-1 programmes stored, nothing delisted', async () => {
    const { ctx, crawl, server } = await setup({ CRAWL_RETRIES: '1' });
    await crawl();
    server.route('GET', FDB_SEARCH, (req) =>
      req.query.get('gtp')
        ? { status: 500 }
        : req.query.get('cl2Processes_Foerdergebiet') === '_bundesweit'
          ? { body: fixture('bmz/search-bundesweit-constructed.html') }
          : req.query.get('cl2Processes_Foerdergeber') === 'eu'
            ? { body: fixture('bmz/search-eu-empty-constructed.html') }
            : { body: fdbShPage1() },
    );
    const run = await crawl();
    expect(run.outcome).toBe('partial');
    expect(run.errors[0]).toMatchObject({ kind: 'http', message: expect.stringContaining('500') });
    expect(getCall(ctx.dbh.db, HESSEN)!.delistedAt).toBeNull();
    expect(ids(ctx)).toHaveLength(13);
  });

  it('a result list that ends before its stated hit count: partial, nothing delisted (issue 12)', async () => {
    const { ctx, crawl, server } = await setup();
    await crawl();
    // Page 1 of the SH search states 12 hits but comes without its "weiter" link: 10 read.
    const noNext = fdbShPage1().replace('class="forward button"', 'class="button"');
    server.route('GET', FDB_SEARCH, (req) =>
      req.query.get('cl2Processes_Foerdergebiet') === 'schleswig_holstein'
        ? { body: noNext }
        : req.query.get('cl2Processes_Foerdergebiet') === '_bundesweit'
          ? { body: fixture('bmz/search-bundesweit-constructed.html') }
          : { body: fixture('bmz/search-eu-empty-constructed.html') },
    );
    const run = await crawl();
    expect(run.outcome).toBe('partial');
    expect(run.delistedCount).toBe(0);
    expect(run.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^listing read 10 of the 12 rows/) }),
    ]);
    expect(getCalls(ctx.dbh.db).filter((c) => c.delistedAt !== null)).toEqual([]);
    expect(ids(ctx)).toHaveLength(13);
  });

  it('robots.txt disallowing the search: blocked before any search request', async () => {
    const { ctx, crawl, server } = await setup();
    server.route('GET', '/robots.txt', () => ({
      body: 'User-agent: *\nCrawl-delay: 30\nDisallow: /SiteGlobals/\n',
    }));
    const run = await crawl();
    expect(run.outcome).toBe('blocked');
    expect(run.errors[0]).toMatchObject({ kind: 'robots' });
    expect(server.count('GET', FDB_SEARCH)).toBe(0);
    expect(ids(ctx)).toEqual([]);
  });

  it('a changed detail layout aborts the run as failed', async () => {
    const { ctx, crawl, server } = await setup();
    await crawl();
    routeSearches(
      server,
      fixture('bmz/search-bundesweit-constructed.html').replace('(Nakopa) </span>', '(Nakopa) neu </span>'),
    );
    server.route('GET', DETAIL(NAKOPA), () => ({
      body: fixture('bmz/details/Bund__BMZ__kommunale-klima-nachhaltigkeitspartnerschaften.html').replace(
        'document-info-fundingprogram',
        'facts-v2',
      ),
    }));
    const run = await crawl();
    expect(run.outcome).toBe('failed');
    expect(run.errors[0]).toMatchObject({ kind: 'layout' });
    expect(getCall(ctx.dbh.db, NAKOPA)!.title).toBe(
      'Kommunale Klima- und Nachhaltigkeitspartnerschaften (Nakopa)',
    );
    expect(getCalls(ctx.dbh.db).every((c) => c.delistedAt === null)).toBe(true);
  });
});
