import { describe, expect, it } from 'vitest';
import { interreg } from '../../crawlers/interreg.ts';
import { coversNuts } from '../../crawlers/interreg-areas.ts';
import { runCrawl } from '../../crawlers/run.ts';
import { getCall, getCallChanges, getCalls } from '../../src/calls/store.ts';
import { useTestContext } from '../helpers/context.ts';
import { useFixtureServer } from '../helpers/fixture-server.ts';
import { factSheet, sheetInstant } from '../helpers/fixtures.ts';
import { fastCrawlEnv } from './portals.ts';
import { ALGOLIA_QUERY, type AlgoliaKeys, interregPages, PAGE_KEY, served, serveInterreg } from './sites.ts';

const NOW = new Date('2025-06-01T08:00:00Z');
const KIEL = 'DEF02';
const PKP = 'interreg:de-dk:pkp';
/** The index's four entries, each the twin of a programme site's call (kept once, as the site's). */
const INDEX_TWINS = {
  'interreg:callForProjectsPage-4055': 'interreg:de-dk:pkp',
  'interreg:callForProjectsPage-4121': 'interreg:bsr:post-40812',
  'interreg:callForProjectsPage-4188': 'interreg:bsr:post-41877',
  'interreg:callForProjectsPage-4302': 'interreg:south-baltic:call-5',
};
const INDEX_IDS = Object.keys(INDEX_TWINS);
const SITE_IDS = [
  'interreg:bsr:post-40812',
  'interreg:bsr:post-41877',
  'interreg:de-dk:buergerprojektefonds',
  'interreg:de-dk:news:neuer-pool-mit-688-mio-euro-fuer-kurze-daenisch-deutsche-projekte',
  PKP,
  'interreg:de-dk:regular:regulaere-projekte-ausschreibung-herbst-2024',
  'interreg:north-sea:call-3',
  'interreg:north-sea:news:important-update-on-call-3',
  'interreg:south-baltic:call-5',
  'interreg:south-baltic:news:calls-closed-25-applications-submitted-for-5th-regular-and-3rd-small-scale-project-opportunities',
  'interreg:south-baltic:news:new-calls-for-proposals-are-scheduled-for-autumn-2025',
];
const ALL_IDS = [...SITE_IDS].sort();
const facts = factSheet<{ calls: Array<Record<string, unknown> & { id: string }> }>('interreg');
const fact = (id: string) => facts.calls.find((c) => c.id === id)!;

describe('interreg crawl over HTTP', () => {
  const makeCtx = useTestContext();
  const makeServer = useFixtureServer();

  async function setup(keys?: AlgoliaKeys, env: Record<string, string> = {}) {
    const server = serveInterreg(makeServer(), keys);
    const base = await server.start();
    const ctx = makeCtx({ ...fastCrawlEnv, ...env });
    const crawl = () => runCrawl(ctx, interreg, { baseUrl: base, trigger: 'test', now: NOW });
    const ids = () =>
      getCalls(ctx.dbh.db)
        .map((c) => c.id)
        .sort();
    return { server, base, ctx, crawl, ids };
  }

  it('fills a fresh database from the index and the programme sites, with dates, rates and areas', async () => {
    const { ctx, crawl, ids, base, server } = await setup();
    const run = await crawl();
    expect(run).toMatchObject({
      outcome: 'ok',
      listed: ALL_IDS.length,
      newCount: ALL_IDS.length,
      errorCount: 0,
    });
    expect(ids()).toEqual(ALL_IDS);
    // The WordPress API answered, so the feed was not needed.
    expect(server.count('GET', '/feed/')).toBe(0);

    const db = ctx.dbh.db;
    const pkp = getCall(db, PKP)!;
    expect(pkp.deadlines.map((d) => [d.at, d.stage, d.timeZone])).toEqual([
      ['2025-04-01T21:59:00.000Z', 'cut-off', 'Europe/Copenhagen'],
      ['2025-09-09T21:59:00.000Z', 'cut-off', 'Europe/Copenhagen'],
    ]);
    expect(pkp).toMatchObject({
      status: 'open',
      fundingRate: 0.65,
      budget: { perProjectMax: 200_000, total: 6_880_000 },
      countries: ['DE', 'DK'],
      url: `${base}/wir-foerdern/pool-fuer-kuerzere-projekte/`,
      provenance: { sourceUrl: `${base}/wir-foerdern/pool-fuer-kuerzere-projekte/` },
      funder: 'European Union (ERDF, Interreg)',
      programme: 'Interreg Deutschland-Danmark',
    });
    expect(coversNuts(pkp.nuts, KIEL)).toBe(true);

    const regular = fact('interreg-de-dk-regular-2024');
    expect(getCall(db, 'interreg:de-dk:regular:regulaere-projekte-ausschreibung-herbst-2024')).toMatchObject({
      status: 'closed',
      fundingRate: 0.65,
      budget: { total: regular.call_budget_eur },
      deadlines: [{ at: sheetInstant(regular.deadline as string, 'Europe/Copenhagen'), stage: 'single' }],
    });
    expect(getCall(db, 'interreg:de-dk:buergerprojektefonds')).toMatchObject({
      status: 'open-ended',
      budget: { total: 4_200_000, perProjectMax: 100_000 },
    });

    const small = getCall(db, 'interreg:bsr:post-40812')!;
    expect(small.deadlines.map((d) => [d.at, d.stage])).toEqual([
      [sheetInstant('2025-06-05T23:59'), 'sketch'],
      [sheetInstant('2025-10-08'), 'full-application'],
    ]);
    expect(small.fundingRate).toBe(0.8);
    expect(coversNuts(small.nuts, KIEL)).toBe(true);
    expect(coversNuts(getCall(db, 'interreg:north-sea:call-3')!.nuts, KIEL)).toBe(true);
    expect(getCall(db, 'interreg:north-sea:call-3')!.fundingRate).toBe(0.6);
    const southBaltic = getCall(db, 'interreg:south-baltic:call-5')!;
    expect(southBaltic.status).toBe('forthcoming');
    expect(coversNuts(southBaltic.nuts, KIEL)).toBe(false);

    // The index entries repeat site calls: each is kept once, as the programme site has it.
    for (const id of INDEX_IDS) expect(getCall(db, id)).toBeUndefined();
    expect(getCall(db, 'interreg:bsr:post-41877')).toMatchObject({
      status: 'open',
      fundingRate: 0.8,
      url: 'https://interreg-baltic.eu/all/project-platforms-2025-call-open/',
    });
    expect(
      getCalls(db).every((c) => c.source === 'interreg' && c.provenance.sourceUrl.startsWith(base)),
    ).toBe(true);
  });

  it('a second crawl of unchanged pages records no history', async () => {
    const { ctx, crawl } = await setup();
    await crawl();
    const run = await crawl();
    expect(run).toMatchObject({
      outcome: 'ok',
      newCount: 0,
      changedCount: 0,
      unchangedCount: ALL_IDS.length,
    });
    for (const id of ALL_IDS) expect(getCallChanges(ctx.dbh.db, id)).toEqual([]);
  });

  it('a moved deadline is one history entry on that call only', async () => {
    const { ctx, crawl, server } = await setup();
    await crawl();
    const poolPage = '/wir-foerdern/pool-fuer-kuerzere-projekte/';
    server.route('GET', poolPage, () =>
      served(interregPages[poolPage]!, (b) => b.replace('9. September 2025', '16. September 2025')),
    );
    const run = await crawl();
    expect(run).toMatchObject({ outcome: 'ok', changedCount: 1, unchangedCount: ALL_IDS.length - 1 });
    const changes = getCallChanges(ctx.dbh.db, PKP);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ field: 'deadlines', crawlRunId: run.runId });
    expect((changes[0]!.newValue as Array<{ at: string }>).map((d) => d.at)).toEqual([
      '2025-04-01T21:59:00.000Z',
      '2025-09-16T21:59:00.000Z',
    ]);
  });

  it('a rotated search key: 403, the page is read again, the new key works', async () => {
    const keys = { pageKey: PAGE_KEY, validKey: 'e4d909c290d0fb1ca068ffaddf22cbd0' };
    const { crawl, server, ids } = await setup(keys);
    // The page still shows the old key on the first read and the new one afterwards.
    let reads = 0;
    server.route('GET', '/calls-for-projects/', () =>
      served(interregPages['/calls-for-projects/']!, (b) =>
        reads++ === 0 ? b : b.replace(PAGE_KEY, keys.validKey),
      ),
    );
    const run = await crawl();
    expect(run).toMatchObject({ outcome: 'ok', errorCount: 0 });
    expect(server.count('GET', '/calls-for-projects/')).toBe(2);
    expect(server.count('POST', ALGOLIA_QUERY)).toBe(2);
    expect(
      server.requests.filter((r) => r.path === ALGOLIA_QUERY).map((r) => r.headers['x-algolia-api-key']),
    ).toEqual([PAGE_KEY, keys.validKey]);
    expect(ids()).toEqual(ALL_IDS);
  });

  it('a configured key is tried first, and replaced from the page when refused', async () => {
    const { crawl, server } = await setup(undefined, {
      INTERREG_ALGOLIA_APP_ID: 'KX7R2Q9L4M',
      INTERREG_ALGOLIA_API_KEY: '00000000000000000000000000000000',
    });
    const run = await crawl();
    expect(run.outcome).toBe('ok');
    expect(
      server.requests.filter((r) => r.path === ALGOLIA_QUERY).map((r) => r.headers['x-algolia-api-key']),
    ).toEqual(['00000000000000000000000000000000', PAGE_KEY]);
  });

  it('when the index keeps refusing: programme sites only, partial, nothing from the index closed or delisted', async () => {
    const { ctx, crawl, server, ids } = await setup();
    await crawl();
    server.route('POST', ALGOLIA_QUERY, () => ({
      status: 403,
      body: '{"message":"Invalid API key","status":403}',
    }));
    const run = await crawl();
    expect(run.outcome).toBe('partial');
    expect(run.errors).toEqual([
      expect.objectContaining({ kind: 'blocked', message: expect.stringContaining('programme sites only') }),
      { kind: 'layout', message: 'listing incomplete' },
    ]);
    expect(run.unchangedCount).toBe(SITE_IDS.length);
    expect(server.count('POST', ALGOLIA_QUERY)).toBe(1 + 2); // the good run, then the refused key and the re-read one
    expect(ids()).toEqual(ALL_IDS);
    for (const id of ALL_IDS) {
      expect(getCall(ctx.dbh.db, id)!.delistedAt).toBeNull();
      expect(getCallChanges(ctx.dbh.db, id)).toEqual([]);
    }
  });

  it('an index answer with fewer hits than its nbHits: partial, nothing delisted (issue 12)', async () => {
    const { ctx, crawl, server, ids } = await setup();
    await crawl();
    server.route('POST', ALGOLIA_QUERY, () =>
      served(`interreg/site/algolia/query.json`, (b) => JSON.stringify({ ...JSON.parse(b), hits: [] })),
    );
    const run = await crawl();
    expect(run).toMatchObject({ outcome: 'partial', delistedCount: 0 });
    expect(run.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^listing read 0 of the 4 rows the source states/),
      }),
    ]);
    expect(ids()).toEqual(ALL_IDS);
    for (const id of ALL_IDS) expect(getCall(ctx.dbh.db, id)!.delistedAt).toBeNull();
  });

  it('the index down on a fresh database: the programme sites still fill it', async () => {
    const { crawl, server, ids } = await setup();
    server.route('POST', ALGOLIA_QUERY, () => ({ status: 500, body: 'upstream error' }));
    const run = await crawl();
    expect(run.outcome).toBe('partial');
    expect(ids()).toEqual([...SITE_IDS].sort());
  });

  it('the WordPress API missing: the RSS feed gives the same BSR calls', async () => {
    const { ctx, crawl, server } = await setup();
    server.route('GET', '/wp-json/wp/v2/posts', () => ({ status: 404, body: '<html>Not found</html>' }));
    const run = await crawl();
    expect(run.outcome).toBe('ok');
    expect(server.count('GET', '/feed/')).toBe(1);
    expect(getCall(ctx.dbh.db, 'interreg:bsr:post-40812')!.deadlines).toHaveLength(2);
  });

  describe('faults (no call lost or wrongly closed)', () => {
    const poolPage = '/wir-foerdern/pool-fuer-kuerzere-projekte/';

    async function afterGoodRun(env: Record<string, string> = {}) {
      const s = await setup(undefined, env);
      await s.crawl();
      const before = getCall(s.ctx.dbh.db, PKP)!;
      const unharmed = () => {
        const after = getCall(s.ctx.dbh.db, PKP)!;
        expect(after.deadlines).toEqual(before.deadlines);
        expect(after.status).toBe('open');
        expect(after.delistedAt).toBeNull();
        expect(s.ids()).toEqual(ALL_IDS);
        expect(getCalls(s.ctx.dbh.db).every((c) => c.delistedAt === null)).toBe(true);
      };
      return { ...s, unharmed };
    }

    it('500s then success: retried, ok', async () => {
      const { crawl, server, unharmed } = await afterGoodRun();
      server.queue('GET', poolPage, { status: 500 }, { status: 502 });
      const run = await crawl();
      expect(run).toMatchObject({ outcome: 'ok', errorCount: 0 });
      expect(server.count('GET', poolPage)).toBe(1 + 3);
      unharmed();
    });

    it('a page that never answers in time: partial, the stored call kept', async () => {
      const { crawl, server, unharmed } = await afterGoodRun();
      server.route('GET', poolPage, () => ({ delayMs: 1500, body: 'late' }));
      const run = await crawl();
      expect(run.outcome).toBe('partial');
      expect(run.errors[0]).toMatchObject({ kind: 'timeout' });
      unharmed();
    });

    it('a changed layout aborts the run as failed', async () => {
      const { crawl, server, unharmed } = await afterGoodRun();
      server.route('GET', '/ueber-uns/unsere-antragsfristen/', () =>
        served(interregPages['/ueber-uns/unsere-antragsfristen/']!, (b) =>
          b.replace(/<table[\s\S]*<\/table>/, ''),
        ),
      );
      const run = await crawl();
      expect(run.outcome).toBe('failed');
      expect(run.errors.at(-1)).toMatchObject({ kind: 'layout' });
      unharmed();
    });

    it('robots.txt disallowing a watched page: blocked', async () => {
      const { crawl, server, unharmed } = await afterGoodRun();
      server.route('GET', '/robots.txt', () => ({ body: 'User-agent: *\nDisallow: /wir-foerdern/\n' }));
      const run = await crawl();
      expect(run.outcome).toBe('blocked');
      expect(run.errors.at(-1)).toMatchObject({ kind: 'robots' });
      expect(server.count('GET', poolPage)).toBe(1); // only the first, allowed run
      unharmed();
    });

    it('429 with Retry-After: waits without using a retry, then ok', async () => {
      const { crawl, server, unharmed } = await afterGoodRun({ CRAWL_RETRIES: '0' });
      server.queue('GET', poolPage, { status: 429, headers: { 'retry-after': '1' } });
      const run = await crawl();
      expect(run).toMatchObject({ outcome: 'ok', errorCount: 0 });
      unharmed();
    });

    it('a redirect to a foreign host is not followed: partial, the stored call kept', async () => {
      const { crawl, server, unharmed } = await afterGoodRun();
      server.route('GET', poolPage, () => ({
        status: 302,
        headers: { location: 'https://evil.example/pool/' },
      }));
      const run = await crawl();
      expect(run.outcome).toBe('partial');
      expect(run.errors[0]).toMatchObject({
        kind: 'redirect',
        message: expect.stringContaining('evil.example'),
      });
      unharmed();
    });
  });
});
