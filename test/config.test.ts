import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { AppError } from '../src/errors.ts';

describe('loadConfig', () => {
  it('works on defaults alone', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databasePath).toMatch(/data\/foerdermatch\.db$/);
    expect(c.conceptFile).toMatch(/rules\/concept\.json$/);
    expect(c.mail.smtpUrl).toBeUndefined();
    expect(c.publicBaseUrl).toBe('http://localhost:3000');
    expect(c.crawl.cron['eu-ft']).toBe('0 5 * * *');
  });

  it('is frozen', () => {
    const c = loadConfig({});
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.crawl.cron)).toBe(true);
  });

  it('reports every invalid variable at once, each with what it expects', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'abc',
        SMTP_URL: 'http://mail',
        CRAWL_PARTIAL_RATIO: '2',
        SCHEDULER_ENABLED: 'maybe',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    const e = error as AppError;
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.details.map((d) => d.path).sort()).toEqual(
      ['CRAWL_PARTIAL_RATIO', 'PORT', 'SCHEDULER_ENABLED', 'SMTP_URL'].sort(),
    );
    expect(e.message).toContain('PORT: expected a whole number from 0 to 65535');
    expect(e.message).toContain('SMTP_URL: expected smtp://');
  });

  it('treats empty strings as unset and accepts overrides', () => {
    const c = loadConfig({
      PORT: '',
      SMTP_URL: 'smtp://u:p@127.0.0.1:2525',
      PUBLIC_BASE_URL: 'https://fm.kiel.de/',
    });
    expect(c.port).toBe(3000);
    expect(c.mail.smtpUrl).toBe('smtp://u:p@127.0.0.1:2525');
    expect(c.publicBaseUrl).toBe('https://fm.kiel.de');
  });

  it('trusts no proxy by default and reads TRUST_PROXY as a switch, a hop count or addresses', () => {
    expect(loadConfig({}).http.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).http.trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'false' }).http.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).http.trustProxy).toBe(2);
    expect(
      loadConfig({ TRUST_PROXY: '10.0.0.1, 10.1.0.0/16,::1,fd00::/8,loopback' }).http.trustProxy,
    ).toEqual(['10.0.0.1', '10.1.0.0/16', '::1', 'fd00::/8', 'loopback']);
    for (const bad of ['yes', '10.0.0.1/33', '10.0.0', 'example.org', '::1/129', '10.0.0.1,', '1000']) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(
        /TRUST_PROXY: expected true, false, a hop count/,
      );
    }
    expect(loadConfig({}).http.authFailures).toEqual({ limit: 20, windowMs: 15 * 60_000 });
  });
});
