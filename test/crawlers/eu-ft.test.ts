import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  deadlineFromEpochMs,
  deadlineFromSearchDate,
  dedupeHits,
  euFt,
  parseSearchPage,
  parseTopicDetails,
  searchBody,
  topicDetailsUrl,
} from '../../crawlers/eu-ft.ts';
import { runCrawl } from '../../crawlers/run.ts';
import { crawlRuns } from '../../db/schema/index.ts';
import { getCall, getCallChanges, getCalls } from '../../src/calls/store.ts';
import type { AppContext } from '../../src/context.ts';
import { useTestContext } from '../helpers/context.ts';
import { fixture, useFixtureServer } from '../helpers/fixture-server.ts';
import { DETAILS_PREFIX, euPages, fastCrawlEnv, SEARCH_PATH, serveEu } from './portals.ts';

const NOW = new Date('2026-06-01T08:00:00Z');
const page1 = () => JSON.parse(fixture('eu/search-api-page-horizon-trimmed.json'));

describe('eu-ft parsing (recordings)', () => {
  it('reads the search envelope, JSON-in-string keywords and skips truncated budgetOverview values', () => {
    const { totalResults, resultCount, hits, problems } = parseSearchPage(page1());
    expect(totalResults).toBe(8);
    expect(resultCount).toBe(4);
    expect(hits.map((h) => h.identifier)).toEqual([
      'HORIZON-MISS-2027-05-SOIL-01-two-stage',
      'HORIZON-CL2-2024-TRANSFORMATIONS-01-08',
      'HORIZON-CL6-2026-04-GOVERNANCE-01',
      'HORIZON-CL3-2026-02-CS-ECCC-01',
    ]);
    const legacy = hits[1]!;
    expect(legacy.legacy).toBe(true);
    expect(legacy.keywords).toContain('New European Bauhaus');
    expect(legacy.keywords.some((k) => k.startsWith('['))).toBe(false);
    expect(hits[0]!.deadlineDates).toEqual(['2027-04-08T00:00:00.000+0000', '2027-09-14T00:00:00.000+0000']);
    // Results 1 and 4 carry budgetOverview strings cut off upstream: dropped, records kept.
    expect(problems).toEqual([
      { ref: '50138952TOPICSen', level: 'field', message: expect.stringMatching(/budgetOverview/) },
      { ref: '50147304TOPICSen', level: 'field', message: expect.stringMatching(/budgetOverview/) },
    ]);
    expect(hits[0]!.budget).toBeUndefined();
    expect(hits[2]!.budget?.budgetTopicActionMap).toBeDefined();
  });

  it('rejects a response without the results envelope as a layout change', () => {
    expect(() => parseSearchPage({ message: 'maintenance' })).toThrowError(
      expect.objectContaining({ kind: 'layout' }),
    );
  });

  it('keeps one row per topic (current over legacy) and keys cascade calls by their own id', () => {
    const { hits } = parseSearchPage(JSON.parse(fixture('eu/search-api-page2-constructed.json')));
    const unique = dedupeHits(hits);
    expect(unique).toHaveLength(3);
    const edtech = unique.find((h) => h.sourceId === 'DIGITAL-2026-SKILLS-10-EDTECH')!;
    expect(edtech.dataSource).toBe('SEDIA');
    const cascade = unique.find((h) => h.type === '8')!;
    expect(cascade.sourceId).toBe('DIGITAL-2026-SKILLS-10-EDTECH:61200001');
    expect(cascade.title).toBe('EdTech Accelerator Open Call 1');
  });

  it('reads Topic Details: epoch-ms deadlines, opening, programme, HTML description', () => {
    const d = parseTopicDetails(JSON.parse(fixture('eu/topicdetails-digital-2026-skills-10-edtech.json')));
    expect(d).toMatchObject({
      identifier: 'DIGITAL-2026-SKILLS-10-EDTECH',
      title: 'EdTech Accelerator',
      programme: 'Digital Europe Programme (DIGITAL)',
      statusLabel: 'Open',
      openingMs: '1776729600000',
      deadlineMs: ['1790812800000'],
    });
    expect(d.descriptionHtml).toMatch(/^<p class="topicdescriptionkind">Expected Outcome:/);
    const closed = parseTopicDetails(
      JSON.parse(fixture('eu/topicdetails-smp-cosme-2024-cluster-01-closed.json')),
    );
    expect(closed.statusLabel).toBe('Closed');
    expect(closed.latestInfos).toHaveLength(3);
    expect(() => parseTopicDetails({ error: 'x' })).toThrowError(expect.objectContaining({ kind: 'parse' }));
  });

  it('puts date-only deadlines at 17:00 Brussels (summer and winter time) and asks for lower-case ids', () => {
    expect(deadlineFromEpochMs('1790812800000')).toBe('2026-10-01T15:00:00.000Z');
    expect(deadlineFromEpochMs('1738713600000')).toBe('2025-02-05T16:00:00.000Z');
    expect(deadlineFromEpochMs('1790863200000')).toBe('2026-10-01T14:00:00.000Z'); // an explicit instant stays
    expect(deadlineFromSearchDate('2024-02-07T17:00:00.000+0000')).toBe('2024-02-07T16:00:00.000Z');
    expect(deadlineFromSearchDate('2027-04-08T00:00:00.000+0000')).toBe('2027-04-08T15:00:00.000Z');
    expect(topicDetailsUrl('https://ec.europa.eu', 'HORIZON-CL3-2026-02-CS-ECCC-01')).toBe(
      'https://ec.europa.eu/info/funding-tenders/opportunities/data/topicDetails/horizon-cl3-2026-02-cs-eccc-01.json',
    );
  });

  it('sends query and languages as JSON file parts', async () => {
    const form = searchBody();
    const query = form.get('query');
    expect(query).toBeInstanceOf(Blob);
    expect((query as Blob).type).toBe('application/json');
    expect(JSON.parse(await (query as Blob).text()).bool.must).toContainEqual({
      terms: { type: ['1', '2', '8'] },
    });
    expect(JSON.parse(await (form.get('languages') as Blob).text())).toEqual(['en']);
  });
});

describe('eu-ft crawl over HTTP', () => {
  const makeCtx = useTestContext();
  const makeServer = useFixtureServer();

  async function setup(env: Record<string, string> = {}, pages = euPages) {
    const server = serveEu(makeServer(), pages);
    const base = await server.start();
    const ctx = makeCtx({ ...fastCrawlEnv, ...env });
    const crawl = (now = NOW) => runCrawl(ctx, euFt, { baseUrl: base, now, trigger: 'test' });
    return { server, base, ctx, crawl };
  }
  const ids = (ctx: AppContext) =>
    getCalls(ctx.dbh.db)
      .map((c) => c.id)
      .sort();

  const ALL = [
    'eu-ft:DIGITAL-2026-SKILLS-10-EDTECH',
    'eu-ft:DIGITAL-2026-SKILLS-10-EDTECH:61200001',
    'eu-ft:HORIZON-CL2-2024-TRANSFORMATIONS-01-08',
    'eu-ft:HORIZON-CL3-2026-02-CS-ECCC-01',
    'eu-ft:HORIZON-CL6-2026-04-GOVERNANCE-01',
    'eu-ft:HORIZON-MISS-2027-05-SOIL-01-two-stage',
    'eu-ft:SMP-COSME-2024-CLUSTER-01',
  ];

  it('fills a fresh database with exact fields; statuses come from the dates', async () => {
    const { ctx, crawl, server, base } = await setup();
    const run = await crawl();
    expect(run).toMatchObject({ outcome: 'ok', listed: 7, newCount: 7, changedCount: 0, errorCount: 0 });
    expect(ids(ctx)).toEqual(ALL);
    // Three search pages (4 + 4 + 0 rows at page size 4), one Topic Details per topic, none for the cascade call.
    expect(server.count('POST', SEARCH_PATH)).toBe(3);
    expect(server.requests.filter((r) => r.path.startsWith(DETAILS_PREFIX))).toHaveLength(6);

    const soil = getCall(ctx.dbh.db, 'eu-ft:HORIZON-MISS-2027-05-SOIL-01-two-stage')!;
    expect(soil).toMatchObject({
      title:
        'Living labs to enhance soil health in Continental, Black Sea, Pannonian and Steppic biogeographical regions',
      funder: 'European Commission',
      programme: 'Horizon Europe (HORIZON)',
      identifier: 'HORIZON-MISS-2027-05-SOIL-01-two-stage',
      status: 'forthcoming',
      sourceStatus: 'Forthcoming',
      openingDate: '2027-02-03T23:00:00.000Z',
      url: `${base}/info/funding-tenders/opportunities/portal/screen/opportunities/topic-details/HORIZON-MISS-2027-05-SOIL-01-two-stage`,
      language: 'en',
      deadlines: [
        {
          at: '2027-04-08T15:00:00.000Z',
          timeZone: 'Europe/Brussels',
          raw: '1807142400000',
          stage: 'sketch',
          label: 'first stage',
        },
        {
          at: '2027-09-14T15:00:00.000Z',
          timeZone: 'Europe/Brussels',
          raw: '1820880000000',
          stage: 'second-stage',
          label: 'second stage',
        },
      ],
    });
    expect(soil.description).toMatch(/^Expected Outcome:\n\nActivities under this topic respond directly/);
    expect(soil.keywords).toContain('Soil biodiversity');
    expect(soil.keywords).not.toContain('HORIZON-MISS-2027-05-SOIL-01-two-stage');

    // Stale "Forthcoming" in the index, deadline in 2024: closed by the dates.
    expect(getCall(ctx.dbh.db, 'eu-ft:HORIZON-CL2-2024-TRANSFORMATIONS-01-08')).toMatchObject({
      status: 'closed',
      sourceStatus: 'Forthcoming',
      deadlines: [{ at: '2024-02-07T16:00:00.000Z', stage: 'single' }],
    });
    // Search still said "Open"; details and dates say closed.
    expect(getCall(ctx.dbh.db, 'eu-ft:SMP-COSME-2024-CLUSTER-01')).toMatchObject({
      status: 'closed',
      sourceStatus: 'Closed',
      budget: { currency: 'EUR', total: 42_000_000 },
      programme: 'Single Market Programme (SMP)',
    });
    expect(getCall(ctx.dbh.db, 'eu-ft:DIGITAL-2026-SKILLS-10-EDTECH')).toMatchObject({
      title: 'EdTech Accelerator',
      status: 'open',
      openingDate: '2026-04-20T22:00:00.000Z',
      deadlines: [{ at: '2026-10-01T15:00:00.000Z', raw: '1790812800000', stage: 'single' }],
    });
    expect(getCall(ctx.dbh.db, 'eu-ft:HORIZON-CL6-2026-04-GOVERNANCE-01')).toMatchObject({
      status: 'forthcoming',
      budget: { total: 60_000_000, perProjectMin: 60_000_000, perProjectMax: 60_000_000 },
    });
    expect(getCall(ctx.dbh.db, 'eu-ft:HORIZON-CL3-2026-02-CS-ECCC-01')).toMatchObject({ status: 'open' });
    expect(getCall(ctx.dbh.db, 'eu-ft:DIGITAL-2026-SKILLS-10-EDTECH:61200001')).toMatchObject({
      title: 'EdTech Accelerator Open Call 1',
      identifier: 'DIGITAL-2026-SKILLS-10-EDTECH',
      url: 'https://edtech-accelerator.example.eu/open-call-1',
      status: 'open',
      deadlines: [{ at: '2026-07-15T15:00:00.000Z', raw: '2026-07-15T00:00:00.000+0000' }],
    });
    const row = ctx.dbh.db.select().from(crawlRuns).where(eq(crawlRuns.id, run.runId)).get()!;
    expect(row).toMatchObject({
      outcome: 'ok',
      newCount: 7,
      fetched: run.fetched,
      finishedAt: run.finishedAt,
    });
  });

  it('a second crawl changes nothing and fetches no Topic Details', async () => {
    const { ctx, crawl, server } = await setup();
    await crawl();
    const detailsBefore = server.requests.filter((r) => r.path.startsWith(DETAILS_PREFIX)).length;
    const run2 = await crawl(new Date(NOW.getTime() + 3_600_000));
    expect(run2).toMatchObject({
      outcome: 'ok',
      newCount: 0,
      changedCount: 0,
      unchangedCount: 7,
      delistedCount: 0,
    });
    expect(server.requests.filter((r) => r.path.startsWith(DETAILS_PREFIX)).length).toBe(detailsBefore);
    for (const id of ALL) expect(getCallChanges(ctx.dbh.db, id)).toEqual([]);
  });

  it('time passing closes a listed call by its dates, with one status history entry', async () => {
    const { ctx, crawl } = await setup();
    await crawl();
    const later = new Date('2026-09-16T08:00:00Z'); // the day after HORIZON-CL3-…-ECCC-01's deadline
    const run = await crawl(later);
    expect(run).toMatchObject({ outcome: 'ok', newCount: 0 });
    expect(getCall(ctx.dbh.db, 'eu-ft:HORIZON-CL3-2026-02-CS-ECCC-01')!.status).toBe('closed');
    expect(getCallChanges(ctx.dbh.db, 'eu-ft:HORIZON-CL3-2026-02-CS-ECCC-01')).toEqual([
      expect.objectContaining({
        field: 'status',
        oldValue: 'open',
        newValue: 'closed',
        crawlRunId: run.runId,
      }),
    ]);
  });

  it('a moved deadline is one history entry', async () => {
    const { ctx, crawl, server } = await setup();
    await crawl();
    const moved = JSON.parse(fixture('eu/search-api-page-horizon-trimmed.json'));
    moved.results[3].checksum = 'CHANGED';
    const details = JSON.parse(fixture('eu/topicdetails-horizon-cl3-2026-02-cs-eccc-01-constructed.json'));
    details.TopicDetails.actions[0].deadlineDates = ['1790294400000']; // 2026-09-25
    server.route('POST', SEARCH_PATH, async (req) =>
      req.query.get('pageNumber') === '1'
        ? { body: JSON.stringify(moved) }
        : { body: fixture(euPages[req.query.get('pageNumber')!] ?? euPages['3']!) },
    );
    server.route('GET', `${DETAILS_PREFIX}horizon-cl3-2026-02-cs-eccc-01.json`, () => ({
      body: JSON.stringify(details),
    }));
    const run2 = await crawl();
    expect(run2.errors).toEqual([]);
    expect(run2).toMatchObject({ outcome: 'ok', changedCount: 1, unchangedCount: 6 });
    const changes = getCallChanges(ctx.dbh.db, 'eu-ft:HORIZON-CL3-2026-02-CS-ECCC-01');
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      field: 'deadlines',
      crawlRunId: run2.runId,
      oldValue: [expect.objectContaining({ at: '2026-09-15T15:00:00.000Z' })],
      newValue: [expect.objectContaining({ at: '2026-09-25T15:00:00.000Z', raw: '1790294400000' })],
    });
  });

  it('a topic gone from a complete listing is marked no longer listed, never deleted or closed', async () => {
    const { ctx, crawl, server } = await setup();
    await crawl();
    const page2 = JSON.parse(fixture('eu/search-api-page2-constructed.json'));
    page2.results = page2.results.filter(
      (r: { metadata: { identifier: string[] } }) => r.metadata.identifier[0] !== 'SMP-COSME-2024-CLUSTER-01',
    );
    // The source's own count drops with it, on every page.
    const stating7 = (page: { totalResults: number }) => JSON.stringify({ ...page, totalResults: 7 });
    server.route('POST', SEARCH_PATH, async (req) =>
      req.query.get('pageNumber') === '2'
        ? { body: stating7(page2) }
        : { body: stating7(JSON.parse(fixture(euPages[req.query.get('pageNumber')!] ?? euPages['3']!))) },
    );
    const run2 = await crawl();
    expect(run2).toMatchObject({ outcome: 'ok', delistedCount: 1, listed: 6 });
    const smp = getCall(ctx.dbh.db, 'eu-ft:SMP-COSME-2024-CLUSTER-01')!;
    expect(smp.delistedAt).toBe(NOW.toISOString());
    expect(smp.status).toBe('closed');
    expect(ids(ctx)).toEqual(ALL);
  });

  it('impossible search dates give no deadline and a notice, never a rolled-over instant (issue 12)', async () => {
    const { ctx, crawl, server } = await setup();
    for (const bad of [
      '2027-02-30T00:00:00.000+0000',
      '2027-13-45T00:00:00.000+0000',
      '2027-05-01T25:99:00.000+0000',
    ]) {
      const page2 = JSON.parse(fixture('eu/search-api-page2-constructed.json'));
      page2.results[3].metadata.deadlineDate = [bad];
      page2.results[3].checksum = bad; // a changed row, so it is read again
      server.route('POST', SEARCH_PATH, async (req) =>
        req.query.get('pageNumber') === '2'
          ? { body: JSON.stringify(page2) }
          : { body: fixture(euPages[req.query.get('pageNumber')!] ?? euPages['3']!) },
      );
      const run = await crawl();
      expect(run.outcome).toBe('ok');
      const cascade = getCall(ctx.dbh.db, 'eu-ft:DIGITAL-2026-SKILLS-10-EDTECH:61200001')!;
      expect(cascade.deadlines, bad).toEqual([]);
      expect(cascade.notices, bad).toEqual([`invalid-date: ${bad}`]);
      expect(cascade.status).not.toBe('open');
    }
  });

  describe('faults', () => {
    it('500s on the search, then success: ok', async () => {
      const { crawl, server } = await setup();
      server.queue('POST', SEARCH_PATH, { status: 500 }, { status: 503 });
      const run = await crawl();
      expect(run).toMatchObject({ outcome: 'ok', newCount: 7 });
      expect(server.count('POST', SEARCH_PATH)).toBe(5);
    });

    it('a truncated JSON page: partial, earlier pages kept, nothing delisted', async () => {
      const { ctx, crawl, server } = await setup();
      await crawl();
      const text = fixture('eu/search-api-page2-constructed.json');
      server.route('POST', SEARCH_PATH, async (req) =>
        req.query.get('pageNumber') === '2'
          ? { body: text.slice(0, 5000) }
          : { body: fixture(euPages[req.query.get('pageNumber')!]!) },
      );
      const run = await crawl();
      expect(run.outcome).toBe('partial');
      expect(run.errors[0]).toMatchObject({ kind: 'parse', message: expect.stringMatching(/invalid JSON/) });
      expect(run.delistedCount).toBe(0);
      expect(ids(ctx)).toEqual(ALL);
      expect(getCalls(ctx.dbh.db).filter((c) => c.delistedAt !== null)).toEqual([]);
    });

    it('a Topic Details timeout: partial, the call stays as stored', async () => {
      const { ctx, crawl, server } = await setup({ CRAWL_TIMEOUT_MS: '150', CRAWL_RETRIES: '1' });
      await crawl();
      const before = getCall(ctx.dbh.db, 'eu-ft:HORIZON-CL3-2026-02-CS-ECCC-01')!;
      const moved = page1();
      moved.results[3].checksum = 'CHANGED';
      server.route('POST', SEARCH_PATH, async (req) =>
        req.query.get('pageNumber') === '1'
          ? { body: JSON.stringify(moved) }
          : { body: fixture(euPages[req.query.get('pageNumber')!] ?? euPages['3']!) },
      );
      server.route('GET', `${DETAILS_PREFIX}horizon-cl3-2026-02-cs-eccc-01.json`, () => ({
        body: '{}',
        delayMs: 1000,
      }));
      const run = await crawl();
      expect(run.outcome).toBe('partial');
      expect(run.errors).toEqual([
        expect.objectContaining({
          kind: 'timeout',
          message: expect.stringContaining('HORIZON-CL3-2026-02-CS-ECCC-01'),
        }),
      ]);
      const after = getCall(ctx.dbh.db, 'eu-ft:HORIZON-CL3-2026-02-CS-ECCC-01')!;
      expect(after.deadlines).toEqual(before.deadlines);
      expect(after.status).toBe('open');
      expect(after.delistedAt).toBeNull();
    });

    it('a changed API layout: failed, nothing lost or closed', async () => {
      const { ctx, crawl, server } = await setup();
      await crawl();
      server.route('POST', SEARCH_PATH, () => ({ body: JSON.stringify({ apiVersion: '3.0', items: [] }) }));
      const run = await crawl();
      expect(run.outcome).toBe('failed');
      expect(run.errors).toEqual([expect.objectContaining({ kind: 'layout' })]);
      expect(ids(ctx)).toEqual(ALL);
      expect(getCalls(ctx.dbh.db).filter((c) => c.delistedAt !== null)).toEqual([]);
      expect(getCall(ctx.dbh.db, 'eu-ft:HORIZON-CL3-2026-02-CS-ECCC-01')!.status).toBe('open');
    });

    it('an HTML block page instead of JSON: blocked', async () => {
      const { ctx, crawl, server } = await setup();
      await crawl();
      server.route('POST', SEARCH_PATH, () => ({
        body: fixture('bmz/block-page-constructed.html'),
        headers: { 'content-type': 'text/html' },
      }));
      const run = await crawl();
      expect(run.outcome).toBe('blocked');
      expect(run.newCount + run.changedCount + run.delistedCount).toBe(0);
      expect(ids(ctx)).toEqual(ALL);
    });

    it('robots.txt disallowing the API: blocked, no request to it, no data touched', async () => {
      const { ctx, crawl, server } = await setup();
      server.route('GET', '/robots.txt', () => ({ body: 'User-agent: *\nDisallow: /search-api/\n' }));
      const run = await crawl();
      expect(run.outcome).toBe('blocked');
      expect(run.errors[0]).toMatchObject({ kind: 'robots' });
      expect(server.count('POST', SEARCH_PATH)).toBe(0);
      expect(ids(ctx)).toEqual([]);
    });

    it('429 with Retry-After: waits, then ok', async () => {
      const { crawl, server } = await setup({ CRAWL_RETRIES: '0' });
      server.queue('POST', SEARCH_PATH, { status: 429, headers: { 'retry-after': '0' } });
      const run = await crawl();
      expect(run).toMatchObject({ outcome: 'ok', newCount: 7 });
    });

    it('a Topic Details redirect to a foreign host: that call is skipped, partial', async () => {
      const { ctx, crawl, server } = await setup();
      server.route('GET', `${DETAILS_PREFIX}horizon-cl3-2026-02-cs-eccc-01.json`, () => ({
        status: 302,
        headers: { location: 'https://phishing.example.net/topic.json' },
      }));
      const run = await crawl();
      expect(run.outcome).toBe('partial');
      expect(run.errors).toEqual([
        expect.objectContaining({
          kind: 'redirect',
          message: expect.stringContaining('phishing.example.net'),
        }),
      ]);
      expect(ids(ctx)).toEqual(ALL.filter((id) => id !== 'eu-ft:HORIZON-CL3-2026-02-CS-ECCC-01'));
    });

    it('a listing far shorter than the last good one is partial and marks nothing', async () => {
      const { ctx, crawl, server } = await setup({ CRAWL_PARTIAL_RATIO: '0.9' });
      await crawl();
      server.route('POST', SEARCH_PATH, async (req) =>
        req.query.get('pageNumber') === '1'
          ? { body: fixture(euPages['1']!) }
          : { body: fixture(euPages['3']!) },
      );
      const run = await crawl();
      expect(run.outcome).toBe('partial');
      expect(run.errors[0]?.message).toMatch(/listing returned 4 calls, last good listing 7/);
      expect(getCalls(ctx.dbh.db).filter((c) => c.delistedAt !== null)).toEqual([]);
    });

    it('an empty page 2 under a stated total: partial, nothing marked no longer listed (issue 12)', async () => {
      const { ctx, crawl, server } = await setup();
      await crawl();
      // Page 2 answers 200 with no rows while every page still states 8 results.
      server.route('POST', SEARCH_PATH, async (req) =>
        req.query.get('pageNumber') === '1'
          ? { body: fixture(euPages['1']!) }
          : { body: fixture(euPages['3']!) },
      );
      const run = await crawl();
      expect(run.outcome).toBe('partial');
      expect(run.delistedCount).toBe(0);
      expect(run.errors).toEqual([
        expect.objectContaining({
          kind: 'layout',
          message: expect.stringMatching(/^listing read 4 of the 8 rows the source states/),
        }),
      ]);
      expect(getCalls(ctx.dbh.db).filter((c) => c.delistedAt !== null)).toEqual([]);
      const row = ctx.dbh.db.select().from(crawlRuns).where(eq(crawlRuns.id, run.runId)).get()!;
      expect(row).toMatchObject({ outcome: 'partial', delistedCount: 0 });
    });

    it('an unreachable site: failed with one network error, no data touched', async () => {
      const server = makeServer();
      const base = await server.start();
      await server.close();
      const ctx = makeCtx({ ...fastCrawlEnv, CRAWL_RETRIES: '0' });
      const run = await runCrawl(ctx, euFt, { baseUrl: base, now: NOW, trigger: 'test' });
      expect(run.outcome).toBe('failed');
      expect(run.errors).toEqual([expect.objectContaining({ kind: 'network' })]);
      expect(ids(ctx)).toEqual([]);
    });
  });
});
