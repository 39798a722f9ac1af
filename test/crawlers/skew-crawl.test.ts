import { describe, expect, it } from 'vitest';
import { runCrawl } from '../../crawlers/run.ts';
import { SKEW_FUNDER, skew } from '../../crawlers/skew.ts';
import { getCall, getCallChanges, getCalls } from '../../src/calls/store.ts';
import { useTestContext } from '../helpers/context.ts';
import { useFixtureServer } from '../helpers/fixture-server.ts';
import { factSheet, sheetInstant } from '../helpers/fixtures.ts';
import { fastCrawlEnv } from './portals.ts';
import { served, serveSkew, skewFile } from './sites.ts';

const NOW = new Date('2025-06-01T08:00:00Z');
const KPF = 'skew:kleinprojektefonds';
const NAKOPA = 'skew:unterstuetzung-durch-nakopa';
const FKKP = 'skew:foerderprogramm-fuer-kommunale-klimaschutz-und-klimaanpassungsprojekte';
const ALL_IDS = [
  KPF,
  NAKOPA,
  FKKP,
  'skew:fachkraefte-weltweit',
  'skew:initiative-kommunales-know-how-nahost',
  'skew:deutsch-tuerkische-kommunale-partnerschaften',
  'skew:kepol',
  'skew:agp',
  'skew:feb',
  'skew:bengo-foerderung-privater-traeger',
].sort();
const facts = factSheet<{ programmes: Array<Record<string, unknown> & { id: string }> }>('skew');
const fact = (id: string) => facts.programmes.find((p) => p.id === id)!;

describe('skew crawl over HTTP', () => {
  const makeCtx = useTestContext();
  const makeServer = useFixtureServer();

  async function setup(env: Record<string, string> = {}) {
    const server = serveSkew(makeServer());
    const base = await server.start();
    const ctx = makeCtx({ ...fastCrawlEnv, ...env });
    const crawl = () => runCrawl(ctx, skew, { baseUrl: base, trigger: 'test', now: NOW });
    const ids = () =>
      getCalls(ctx.dbh.db)
        .map((c) => c.id)
        .sort();
    return { server, base, ctx, crawl, ids };
  }

  it('fills a fresh database from the overview and the programme pages', async () => {
    const { ctx, crawl, ids, base, server } = await setup();
    const run = await crawl();
    expect(run).toMatchObject({ outcome: 'ok', listed: 10, newCount: 10, errorCount: 0 });
    expect(ids()).toEqual(ALL_IDS);
    // Five programme pages on the SKEW site; links to other Engagement Global sites are not followed.
    expect(server.requests.filter((r) => r.path.endsWith('.html')).length).toBe(6);

    const db = ctx.dbh.db;
    const kpfFact = fact('skew-kleinprojektefonds');
    expect(getCall(db, KPF)).toMatchObject({
      funder: SKEW_FUNDER,
      operator: 'Servicestelle Kommunen in der Einen Welt (SKEW) / Engagement Global',
      budget: { perProjectMin: 1000, perProjectMax: 20_000 },
      fundingRate: (kpfFact.funding_rate_pct_max as number) / 100,
      applicantTypes: ['municipality'],
      status: 'closed',
      url: `${base}/kleinprojektefonds.html`,
      language: 'de',
      countries: ['DE'],
    });
    expect(getCall(db, KPF)!.notices.map((n) => n.split(':')[0])).toEqual([
      'deadline-passed',
      'commitments-suspended',
      'precondition',
    ]);
    const nakopa = getCall(db, NAKOPA)!;
    expect(nakopa.fundingRate).toBe(0.9);
    expect(nakopa.identifier).toBe('Runde 2023');
    expect(nakopa.deadlines.map((d) => [d.at, d.stage])).toEqual([
      [sheetInstant('2023-07-31'), 'interest'],
      [sheetInstant('2023-09-30'), 'full-application'],
    ]);
    expect(getCall(db, FKKP)!.notices).toContain(
      'precondition: nur für Teilnehmende an „Kommunale Klimapartnerschaften“',
    );
    for (const id of ['skew:agp', 'skew:feb', 'skew:bengo-foerderung-privater-traeger']) {
      expect(getCall(db, id)).toMatchObject({ applicantTypes: ['ngo'], operator: 'Engagement Global' });
    }
    expect(getCall(db, 'skew:fachkraefte-weltweit')!.status).toBe('open-ended');
  });

  it('a second crawl of unchanged pages records no history', async () => {
    const { ctx, crawl } = await setup();
    await crawl();
    const run = await crawl();
    expect(run).toMatchObject({ outcome: 'ok', newCount: 0, changedCount: 0, unchangedCount: 10 });
    for (const id of ALL_IDS) expect(getCallChanges(ctx.dbh.db, id)).toEqual([]);
  });

  it('a moved application deadline is one history entry', async () => {
    const { ctx, crawl, server } = await setup();
    await crawl();
    server.route('GET', '/unterstuetzung-durch-nakopa.html', () =>
      served(skewFile('unterstuetzung-durch-nakopa.html'), (b) =>
        b.replace('30. September 2023', '15. Oktober 2023'),
      ),
    );
    const run = await crawl();
    expect(run).toMatchObject({ outcome: 'ok', changedCount: 1, unchangedCount: 9 });
    const changes = getCallChanges(ctx.dbh.db, NAKOPA);
    expect(changes.map((c) => c.field)).toEqual(['deadlines']);
    expect((changes[0]!.newValue as Array<{ at: string }>)[1]!.at).toBe(sheetInstant('2023-10-15'));
  });

  it('a new round: the call is updated in place, round and deadlines in its history', async () => {
    const { ctx, crawl, server } = await setup();
    await crawl();
    server.route('GET', '/unterstuetzung-durch-nakopa.html', () =>
      served(skewFile('unterstuetzung-durch-nakopa.html'), (b) =>
        b
          .replace('Bekanntmachung 2024', 'Bekanntmachung 2026')
          .replace('31. Juli 2023', '31. Juli 2025')
          .replace('30. September 2023', '30. September 2025'),
      ),
    );
    await crawl();
    const call = getCall(ctx.dbh.db, NAKOPA)!;
    expect(call).toMatchObject({ identifier: 'Runde 2025', status: 'open' });
    expect(
      getCallChanges(ctx.dbh.db, NAKOPA)
        .map((c) => c.field)
        .sort(),
    ).toEqual(['deadlines', 'description', 'identifier', 'keywords', 'status']);
  });

  describe('faults (no call lost or wrongly closed)', () => {
    const nakopaPage = '/unterstuetzung-durch-nakopa.html';

    async function afterGoodRun(env: Record<string, string> = {}) {
      const s = await setup(env);
      await s.crawl();
      const before = getCall(s.ctx.dbh.db, NAKOPA)!;
      const unharmed = () => {
        const after = getCall(s.ctx.dbh.db, NAKOPA)!;
        expect(after.deadlines).toEqual(before.deadlines);
        expect(after.status).toBe(before.status);
        expect(s.ids()).toEqual(ALL_IDS);
        expect(getCalls(s.ctx.dbh.db).every((c) => c.delistedAt === null)).toBe(true);
        expect(getCallChanges(s.ctx.dbh.db, NAKOPA)).toEqual([]);
      };
      return { ...s, unharmed };
    }

    it('500s then success: retried, ok', async () => {
      const { crawl, server, unharmed } = await afterGoodRun();
      server.queue('GET', nakopaPage, { status: 500 }, { status: 503 });
      const run = await crawl();
      expect(run).toMatchObject({ outcome: 'ok', errorCount: 0 });
      unharmed();
    });

    it('a programme page failing for good: partial, its call kept as it was', async () => {
      const { crawl, server, unharmed } = await afterGoodRun();
      server.route('GET', nakopaPage, () => ({ status: 500 }));
      const run = await crawl();
      expect(run.outcome).toBe('partial');
      expect(run.errors[0]).toMatchObject({ kind: 'http', url: expect.stringContaining(nakopaPage) });
      unharmed();
    });

    it('a timeout: partial, nothing lost', async () => {
      const { crawl, server, unharmed } = await afterGoodRun();
      server.route('GET', nakopaPage, () => ({ delayMs: 1500, body: 'late' }));
      const run = await crawl();
      expect(run.outcome).toBe('partial');
      expect(run.errors[0]).toMatchObject({ kind: 'timeout' });
      unharmed();
    });

    it('an overview without labelled lists is a changed layout: failed', async () => {
      const { crawl, server, unharmed } = await afterGoodRun();
      server.route('GET', '/kommunale-foerderung.html', () =>
        served(skewFile('kommunale-foerderung.html'), (b) => b.replace(/<strong>[^<]*:<\/strong>/g, '')),
      );
      const run = await crawl();
      expect(run.outcome).toBe('failed');
      expect(run.errors.at(-1)).toMatchObject({ kind: 'layout' });
      unharmed();
    });

    it('robots.txt disallowing the site: blocked before any page', async () => {
      const { crawl, server, unharmed } = await afterGoodRun();
      const before = server.requests.length;
      server.route('GET', '/robots.txt', () => ({ body: 'User-agent: *\nDisallow: /\n' }));
      const run = await crawl();
      expect(run.outcome).toBe('blocked');
      expect(server.requests.slice(before).map((r) => r.path)).toEqual(['/robots.txt']);
      unharmed();
    });

    it('429 with Retry-After: waits, then ok', async () => {
      const { crawl, server, unharmed } = await afterGoodRun({ CRAWL_RETRIES: '0' });
      server.queue('GET', '/kommunale-foerderung.html', { status: 429, headers: { 'retry-after': '1' } });
      const run = await crawl();
      expect(run).toMatchObject({ outcome: 'ok', errorCount: 0 });
      unharmed();
    });

    it('a redirect to a foreign host is not followed', async () => {
      const { crawl, server, unharmed } = await afterGoodRun();
      server.route('GET', nakopaPage, () => ({
        status: 301,
        headers: { location: 'https://evil.example/nakopa' },
      }));
      const run = await crawl();
      expect(run.outcome).toBe('partial');
      expect(run.errors[0]).toMatchObject({ kind: 'redirect' });
      unharmed();
    });
  });
});
