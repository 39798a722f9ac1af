import { describe, expect, it } from 'vitest';
import { coversNuts } from '../../crawlers/interreg-areas.ts';
import {
  bsrPostsToCalls,
  mainContentHash,
  parseDeDkCitizensFund,
  parseDeDkDeadlines,
  parseDeDkPool,
  parseNewsList,
  parseNorthSeaCalls,
  parseRssFeed,
  parseSouthBalticCalls,
  parseWpPosts,
} from '../../crawlers/interreg-sites.ts';
import type { Call } from '../../src/domain/call.ts';
import { sheetInstant } from '../helpers/fixtures.ts';
import { fact, KIEL, page, parseCtx } from './interreg-facts.ts';

const ctx = parseCtx;

describe('Interreg Deutschland-Danmark', () => {
  const base = 'https://www.interreg-de-dk.eu';

  it('deadlines page: the regular call of autumn 2024', () => {
    const f = fact('interreg-de-dk-regular-2024');
    const [c, ...rest] = parseDeDkDeadlines(
      page('www.interreg-de-dk.eu/ueber-uns/unsere-antragsfristen/index.html'),
      ctx(`${base}/ueber-uns/unsere-antragsfristen/`),
    );
    expect(rest).toEqual([]);
    expect(c!.id).toBe('interreg:de-dk:regular:regulaere-projekte-ausschreibung-herbst-2024');
    expect(c!.openingDate).toBe(sheetInstant(`${f.opening}T00:00`, 'Europe/Copenhagen'));
    expect(c!.deadlines).toEqual([
      {
        at: sheetInstant(f.deadline as string, 'Europe/Copenhagen'),
        timeZone: 'Europe/Copenhagen',
        raw: '11.11.2024, 23:59 Uhr',
        stage: 'single',
      },
    ]);
    expect(c!.fundingRate).toBe(0.65);
    expect(c!.budget?.total).toBe(f.call_budget_eur);
    expect(c!.applicantTypes).toEqual(['public-body', 'ngo', 'company', 'research', 'university']);
    expect(c!.keywords).toEqual([
      'Innovative Region',
      'Grüne Region',
      'Attraktive Region',
      'Funktionale Region',
    ]);
    expect(c!.countries).toEqual(['DE', 'DK']);
    expect(c!.nuts).toContain(KIEL);
    expect(c!.status).toBe('closed');
  });

  it('Pool für kürzere Projekte: two cut-offs, 65 %, EUR 200,000 per project, EUR 6.88 million pool', () => {
    const f = fact('interreg-de-dk-pkp');
    const c = parseDeDkPool(
      page('www.interreg-de-dk.eu/wir-foerdern/pool-fuer-kuerzere-projekte/index.html'),
      ctx(`${base}/wir-foerdern/pool-fuer-kuerzere-projekte/`),
    );
    expect(c.id).toBe('interreg:de-dk:pkp');
    expect(c.deadlines.map((d) => d.at)).toEqual(
      (f.deadlines as string[]).map((d) => sheetInstant(d, 'Europe/Copenhagen')),
    );
    expect(c.deadlines.map((d) => d.at)).toEqual(['2025-04-01T21:59:00.000Z', '2025-09-09T21:59:00.000Z']);
    expect(c.deadlines.every((d) => d.stage === 'cut-off' && d.label === 'Antragsfrist')).toBe(true);
    expect(c.fundingRate).toBe(0.65);
    expect(c.budget).toMatchObject({ total: f.pool_total_eur, perProjectMax: 200_000 });
    expect(c.status).toBe('open');
    expect(c.provenance.sourceUrl).toBe(`${base}/wir-foerdern/pool-fuer-kuerzere-projekte/`);
  });

  it('Bürgerprojektefonds: standing fund, EUR 4.2 million, up to EUR 100,000', () => {
    const f = fact('interreg-de-dk-buergerprojektefonds');
    const c = parseDeDkCitizensFund(
      page('www.interreg-de-dk.eu/wir-foerdern/buergerprojektefonds/index.html'),
      ctx(`${base}/wir-foerdern/buergerprojektefonds/`),
    );
    expect(c.status).toBe('open-ended');
    expect(c.deadlines).toEqual([]);
    expect(c.budget).toMatchObject({ total: f.fund_total_eur, perProjectMax: f.max_grant_eur });
    expect(c.notices).toEqual(['rolling: Anträge können laufend gestellt werden']);
  });

  it('news: the item announcing the pool becomes a call, the event review does not', () => {
    const calls = parseNewsList(
      page('www.interreg-de-dk.eu/news-events/news/index.html'),
      'de-dk',
      ctx(`${base}/news-events/news/`),
    );
    expect(calls.map((c) => c.id)).toEqual([
      'interreg:de-dk:news:neuer-pool-mit-688-mio-euro-fuer-kurze-daenisch-deutsche-projekte',
    ]);
    expect(calls[0]!.url).toBe(
      `${base}/news-events/news/detail/neuer-pool-mit-688-mio-euro-fuer-kurze-daenisch-deutsche-projekte/`,
    );
    expect(calls[0]!.deadlines[0]?.at).toBe('2025-04-01T21:59:00.000Z');
  });

  it('hashes the main content only: a new footer or cookie banner is no change', () => {
    const html = page('www.interreg-de-dk.eu/wir-foerdern/pool-fuer-kuerzere-projekte/index.html');
    const url = `${base}/wir-foerdern/pool-fuer-kuerzere-projekte/`;
    const noisy = html
      .replace('Sekretariat · Kruså', 'Sekretariat · Kruså · Stand 2026')
      .replace(
        '<nav class="breadcrumb">',
        '<div class="cookie-banner">Cookies?</div><nav class="breadcrumb">',
      );
    expect(mainContentHash(noisy, 'de-dk', url)).toBe(mainContentHash(html, 'de-dk', url));
    const moved = html.replace('9. September 2025', '16. September 2025');
    expect(mainContentHash(moved, 'de-dk', url)).not.toBe(mainContentHash(html, 'de-dk', url));
  });

  it('a page without its deadlines table is a changed layout, not an empty result', () => {
    const html = page('www.interreg-de-dk.eu/ueber-uns/unsere-antragsfristen/index.html').replace(
      /<table[\s\S]*<\/table>/,
      '<p>Die Fristen finden Sie bald hier.</p>',
    );
    expect(() => parseDeDkDeadlines(html, ctx(`${base}/ueber-uns/unsere-antragsfristen/`))).toThrowError(
      expect.objectContaining({ kind: 'layout' }),
    );
  });
});

describe('Interreg Baltic Sea Region (WordPress)', () => {
  const feedUrl = 'https://interreg-baltic.eu/feed/';
  const apiUrl = 'https://interreg-baltic.eu/wp-json/wp/v2/posts';

  it('reads the same posts from the REST API and from the RSS feed', () => {
    const rest = parseWpPosts(page('interreg-baltic.eu/wp-json/posts.json'), ctx(apiUrl));
    const rss = parseRssFeed(page('interreg-baltic.eu/feed/index.xml'), ctx(feedUrl));
    expect(rest.map((p) => p.id)).toEqual(['41877', '40812', '37754']);
    expect(rss.map((p) => p.id)).toEqual(rest.map((p) => p.id));
    expect(rss.map((p) => p.categories)).toEqual(rest.map((p) => p.categories));
    const a = bsrPostsToCalls(rest, ctx(apiUrl)).calls.map(({ provenance: _p, raw: _r, ...c }) => c);
    const b = bsrPostsToCalls(rss, ctx(feedUrl)).calls.map(({ provenance: _p, raw: _r, ...c }) => c);
    expect(b).toEqual(a);
  });

  it('keeps the posts of the Calls category with their staged deadlines', () => {
    const { calls, errors } = bsrPostsToCalls(
      parseWpPosts(page('interreg-baltic.eu/wp-json/posts.json'), ctx(apiUrl)),
      ctx(apiUrl),
    );
    expect(errors).toEqual([]);
    expect(calls.map((c) => c.id)).toEqual(['interreg:bsr:post-41877', 'interreg:bsr:post-40812']);
    const small = calls[1]!;
    const f = fact('interreg-bsr-small-3');
    expect(small.deadlines.map((d) => [d.at, d.stage, d.label, d.raw])).toEqual([
      [
        sheetInstant(f.deadline_project_idea_form as string),
        'sketch',
        'Project Idea Form',
        '5 June 2025, 23:59 CET',
      ],
      [
        sheetInstant(f.deadline_full_application as string),
        'full-application',
        'full application',
        '8 October 2025',
      ],
    ]);
    expect(small.fundingRate).toBe(0.8);
    expect(small.budget?.perProjectMax).toBe(500_000);
    expect(coversNuts(small.nuts, KIEL)).toBe(true);
    const platforms = calls[0]!;
    expect(platforms.deadlines.map((d) => [d.at, d.stage])).toEqual([['2025-11-20T15:00:00.000Z', 'single']]);
  });

  it('an answer that is not a post list or not a feed is a changed layout', () => {
    expect(() => parseWpPosts('{"code":"rest_no_route"}', ctx(apiUrl))).toThrow(/not a list of posts/);
    expect(() => parseRssFeed('<html><body>Not found</body></html>', ctx(feedUrl))).toThrow(
      /not an RSS feed/,
    );
  });
});

describe('Interreg North Sea and South Baltic', () => {
  it('North Sea call 3: dates from the Opens/Closes list, up to 60 %, Kiel in the area', () => {
    const f = fact('interreg-north-sea-call-3');
    const [c] = parseNorthSeaCalls(
      page('www.interregnorthsea.eu/calls/index.html'),
      ctx('https://www.interregnorthsea.eu/calls'),
    );
    expect(c!.id).toBe('interreg:north-sea:call-3');
    expect(c!.openingDate).toBe(sheetInstant(`${f.opening}T00:00`, 'Europe/Brussels'));
    expect(c!.deadlines.map((d) => d.at)).toEqual([sheetInstant(f.deadline as string, 'Europe/Brussels')]);
    expect(c!.fundingRate).toBe((f.funding_rate_pct as number) / 100);
    expect(c!.budget?.total).toBeUndefined(); // the programme budget is not the call's
    expect(c!.sourceStatus).toBe('Closed');
    expect(coversNuts(c!.nuts, KIEL)).toBe(true);
    expect(c!.countries).toEqual(['BE', 'DK', 'FR', 'DE', 'NL', 'NO', 'SE']);
  });

  it('South Baltic 5th call: opening and closing, not the decision date; Kiel outside', () => {
    const f = fact('interreg-south-baltic-5');
    const [c] = parseSouthBalticCalls(
      page('southbaltic.eu/calls-for-proposals/index.html'),
      ctx('https://southbaltic.eu/calls-for-proposals'),
    );
    expect(c!.openingDate).toBe(sheetInstant(`${f.opening}T00:00`));
    expect(c!.deadlines.map((d) => d.at)).toEqual([sheetInstant(f.deadline as string)]);
    expect(c!.status).toBe('forthcoming');
    expect(coversNuts(c!.nuts, KIEL)).toBe(false);
  });

  it('news lists: call announcements only', () => {
    const ns = parseNewsList(
      page('www.interregnorthsea.eu/our-news/index.html'),
      'north-sea',
      ctx('https://www.interregnorthsea.eu/our-news'),
    );
    expect(ns.map((c) => c.title)).toEqual(['Important update on Call 3']);
    const sb = parseNewsList(
      page('southbaltic.eu/news/index.html'),
      'south-baltic',
      ctx('https://southbaltic.eu/news'),
    );
    expect(sb.map((c: Call) => c.deadlines.map((d) => d.at))).toEqual([
      ['2025-11-12T22:59:00.000Z'],
      ['2025-11-12T22:59:00.000Z'],
    ]);
  });
});
