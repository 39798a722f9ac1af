import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { interreg } from '../../crawlers/interreg.ts';
import { resolveBaseUrls } from '../../crawlers/run.ts';
import { skew } from '../../crawlers/skew.ts';
import { loadConfig } from '../../src/config.ts';
import { registerJobs } from '../../src/jobs/register.ts';
import { Scheduler } from '../../src/jobs/scheduler.ts';
import { useTestContext } from '../helpers/context.ts';

const berlin = (d: Date) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Berlin',
    weekday: 'long',
    hour: '2-digit',
    minute: '2-digit',
  }).format(d);

describe('interreg and skew configuration', () => {
  const makeCtx = useTestContext();

  it('are crawled weekly by default (Tuesday 04:00 and 04:30, Europe/Berlin)', async () => {
    const scheduler = new Scheduler(pino({ level: 'silent' }));
    registerJobs(makeCtx(), scheduler);
    expect(berlin(scheduler.nextRun('crawl:interreg')!)).toBe('Tuesday 04:00');
    expect(berlin(scheduler.nextRun('crawl:skew')!)).toBe('Tuesday 04:30');
    await scheduler.stop();
  });

  it('build every URL from configurable base URLs; --base-url points all hosts at one server', () => {
    const ctx = makeCtx({
      INTERREG_DE_DK_BASE_URL: 'http://dedk.test/',
      SKEW_BASE_URL: 'http://skew.test',
    });
    expect(resolveBaseUrls(ctx, interreg)).toEqual({
      site: 'https://interreg.eu',
      algolia: 'https://algolia.net',
      deDk: 'http://dedk.test',
      bsr: 'https://interreg-baltic.eu',
      northSea: 'https://www.interregnorthsea.eu',
      southBaltic: 'https://southbaltic.eu',
    });
    expect(resolveBaseUrls(ctx, skew)).toEqual({ site: 'http://skew.test' });
    expect(Object.values(resolveBaseUrls(ctx, interreg, 'http://127.0.0.1:9/'))).toEqual(
      Array(6).fill('http://127.0.0.1:9'),
    );
  });

  it('takes an Algolia key override, and rejects a malformed base URL with a clear message', () => {
    const config = loadConfig({
      INTERREG_ALGOLIA_APP_ID: 'ABC123DEF',
      INTERREG_ALGOLIA_API_KEY: 'k'.repeat(32),
    });
    expect(config.crawl.interreg.algolia).toEqual({ appId: 'ABC123DEF', apiKey: 'k'.repeat(32) });
    expect(loadConfig({}).crawl.interreg.algolia).toEqual({});
    expect(() => loadConfig({ SKEW_BASE_URL: 'skew.engagement-global.de' })).toThrowError(
      /SKEW_BASE_URL: expected an absolute URL/,
    );
  });
});
