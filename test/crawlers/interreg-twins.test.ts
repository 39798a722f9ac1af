import { describe, expect, it } from 'vitest';
import { parseAlgoliaHits } from '../../crawlers/interreg.ts';
import {
  bsrPostsToCalls,
  parseDeDkDeadlines,
  parseDeDkPool,
  parseNorthSeaCalls,
  parseSouthBalticCalls,
  parseWpPosts,
} from '../../crawlers/interreg-sites.ts';
import { joinTwins, twinScore } from '../../crawlers/interreg-twins.ts';
import type { Call } from '../../src/domain/call.ts';
import { sampleCall } from '../helpers/calls.ts';
import { page, parseCtx } from './interreg-facts.ts';

const BSR = 'Interreg Baltic Sea Region';
const call = (id: string, over: Partial<Call>): Call =>
  sampleCall({ id: `interreg:${id}`, sourceId: id, source: 'interreg', programme: BSR, ...over });
const due = (at: string) => [{ at, timeZone: 'Europe/Riga', raw: at, stage: 'single' as const }];

describe('index entries that repeat a programme site call', () => {
  it('pairs each index entry of the recorded pages with the site call it repeats, and nothing else', () => {
    const site = 'https://interreg-baltic.eu/';
    const index = parseAlgoliaHits(page('algolia/query.json'), {
      ...parseCtx(`${site}algolia`),
      siteBase: site,
    });
    const sites = [
      ...parseDeDkDeadlines(
        page('www.interreg-de-dk.eu/ueber-uns/unsere-antragsfristen/index.html'),
        parseCtx('https://www.interreg-de-dk.eu/ueber-uns/unsere-antragsfristen/'),
      ),
      parseDeDkPool(
        page('www.interreg-de-dk.eu/wir-foerdern/pool-fuer-kuerzere-projekte/index.html'),
        parseCtx('https://www.interreg-de-dk.eu/wir-foerdern/pool-fuer-kuerzere-projekte/'),
      ),
      ...bsrPostsToCalls(
        parseWpPosts(page('interreg-baltic.eu/wp-json/posts.json'), parseCtx(site)),
        parseCtx(site),
      ).calls,
      ...parseNorthSeaCalls(
        page('www.interregnorthsea.eu/calls/index.html'),
        parseCtx('https://www.interregnorthsea.eu/calls'),
      ),
      ...parseSouthBalticCalls(
        page('southbaltic.eu/calls-for-proposals/index.html'),
        parseCtx('https://southbaltic.eu/calls-for-proposals'),
      ),
    ];
    const { index: alone, twins } = joinTwins(index.calls, sites);
    expect(alone).toEqual([]);
    expect(Object.fromEntries(twins.map((t) => [t.index, t.site]))).toEqual({
      'interreg:callForProjectsPage-4055': 'interreg:de-dk:pkp', // same page
      'interreg:callForProjectsPage-4121': 'interreg:bsr:post-40812', // same page
      'interreg:callForProjectsPage-4188': 'interreg:bsr:post-41877', // same page
      'interreg:callForProjectsPage-4302': 'interreg:south-baltic:call-5', // same deadline and title
    });
  });

  it('needs the same programme, and the same page or a shared deadline day with most title words', () => {
    const entry = call('i-1', {
      title: 'Small projects – 3rd call',
      url: 'https://interreg-baltic.eu/all/small-projects/',
      deadlines: due('2025-10-08T15:00:00.000Z'),
    });
    expect(
      twinScore(
        entry,
        call('s-1', { title: 'Anything', url: 'https://www.interreg-baltic.eu/all/small-projects' }),
      ),
    ).toBe(2);
    expect(
      twinScore(
        entry,
        call('s-2', { title: 'Third call for small projects', deadlines: due('2025-10-08T21:59:00.000Z') }),
      ),
    ).toBe(1);
    // Another call of the programme closing the same day, or the same call a month later: not twins.
    expect(
      twinScore(
        entry,
        call('s-3', { title: 'Project platforms', deadlines: due('2025-10-08T21:59:00.000Z') }),
      ),
    ).toBe(0);
    expect(
      twinScore(
        entry,
        call('s-4', { title: 'Small projects – 3rd call', deadlines: due('2025-11-08T21:59:00.000Z') }),
      ),
    ).toBe(0);
    // The same page of another programme (a shared news portal) is not enough.
    expect(
      twinScore(
        entry,
        call('s-5', {
          programme: 'Interreg South Baltic',
          url: 'https://interreg-baltic.eu/all/small-projects/',
        }),
      ),
    ).toBe(0);
  });

  it('gives a site call to one index entry at most: the one pointing to its page before one sharing a date', () => {
    const site = call('s-1', {
      title: 'Small projects',
      url: 'https://x.eu/a',
      deadlines: due('2025-10-08T21:59:00.000Z'),
    });
    const byTitle = call('i-1', { title: 'Small projects', deadlines: due('2025-10-08T15:00:00.000Z') });
    const byPage = call('i-2', { title: 'Other words', url: 'https://x.eu/a/' });
    const { index, twins } = joinTwins([byTitle, byPage], [site]);
    expect(twins).toEqual([{ index: 'interreg:i-2', site: 'interreg:s-1' }]);
    expect(index.map((c) => c.id)).toEqual(['interreg:i-1']);
  });
});
