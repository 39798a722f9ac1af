import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { fromPackage } from '../../src/paths.ts';
import { serveEu, serveFdb } from '../crawlers/portals.ts';
import { useFixtureServer } from '../helpers/fixture-server.ts';
import { useTmpDir } from '../helpers/tmp.ts';

const run = promisify(execFile);
const bin = fromPackage('bin', 'foerdermatch.js');

// Each real process start costs a few seconds on a busy machine; four of them run in one test.
describe('foerdermatch crawl / calls / runs (real process, local server)', { timeout: 90_000 }, () => {
  const tmp = useTmpDir();
  const makeServer = useFixtureServer();

  async function cli(args: string[], db: string, extra: NodeJS.ProcessEnv = {}) {
    return run(process.execPath, [bin, ...args], {
      env: {
        PATH: process.env.PATH,
        DATABASE_PATH: db,
        CRAWL_MIN_DELAY_MS: '0',
        CRAWL_BACKOFF_MS: '5',
        EU_FT_PAGE_SIZE: '4',
        ...extra,
      },
      encoding: 'utf8',
    });
  }

  it('crawl --source eu-ft --base-url fills a fresh database; calls and runs show it', async () => {
    const server = serveEu(makeServer());
    const base = await server.start();
    const db = join(tmp(), 'cli.db');
    const out = await cli(['crawl', '--source', 'eu-ft', '--base-url', base], db);
    expect(out.stdout).toMatch(/^eu-ft: ok — 7 gelistet\/listed, 7 neu\/new, 0 geändert\/changed/);
    const calls = JSON.parse((await cli(['calls', '--source', 'eu-ft', '--json'], db)).stdout);
    expect(calls).toHaveLength(7);
    expect(
      calls.find((c: { id: string }) => c.id === 'eu-ft:HORIZON-MISS-2027-05-SOIL-01-two-stage'),
    ).toMatchObject({
      deadlines: [{ at: '2027-04-08T15:00:00.000Z' }, { at: '2027-09-14T15:00:00.000Z' }],
      provenance: {
        sourceUrl: `${base}/info/funding-tenders/opportunities/data/topicDetails/horizon-miss-2027-05-soil-01-two-stage.json`,
      },
    });
    const table = (await cli(['calls'], db)).stdout;
    expect(table).toContain('eu-ft:HORIZON-CL2-2024-TRANSFORMATIONS-01-08');
    expect(table).toMatch(/7 Aufrufe\/calls/);
    const runs = JSON.parse((await cli(['runs', '--json'], db)).stdout);
    expect(runs).toEqual([
      expect.objectContaining({ source: 'eu-ft', trigger: 'cli', outcome: 'ok', newCount: 7 }),
    ]);
  });

  it('crawl --source foerderdatenbank --base-url fills a fresh database', async () => {
    const server = serveFdb(makeServer());
    const base = await server.start();
    const db = join(tmp(), 'cli.db');
    const out = await cli(['crawl', '--source', 'foerderdatenbank', '--base-url', base], db);
    expect(out.stdout).toMatch(/^foerderdatenbank: ok — 13 gelistet\/listed, 13 neu\/new/);
  });

  it('an unreachable site: one clear line, exit code 3, no calls', async () => {
    const server = makeServer();
    const base = await server.start();
    await server.close();
    const db = join(tmp(), 'cli.db');
    try {
      await cli(['crawl', '--source', 'eu-ft', '--base-url', base], db, { CRAWL_RETRIES: '0' });
      expect.unreachable('should exit non-zero');
    } catch (err) {
      const e = err as { code: number; stdout: string };
      expect(e.code).toBe(3);
      expect(e.stdout).toMatch(
        /^eu-ft: failed — 0 gelistet\/listed.*\n {4}! network: cannot reach 127.0.0.1:\d+: ECONNREFUSED/,
      );
    }
    expect(JSON.parse((await cli(['calls', '--json'], db)).stdout)).toEqual([]);
  });

  it('a host name that does not resolve fails that source at once with one line; the others still run (issue 12)', async () => {
    const fdb = await serveFdb(makeServer()).start();
    const db = join(tmp(), 'cli.db');
    const nowhere = 'http://eu.foerdermatch.invalid'; // .invalid never resolves (RFC 6761)
    const hosts = {
      EU_FT_API_BASE_URL: nowhere,
      EU_FT_PORTAL_BASE_URL: nowhere,
      FDB_BASE_URL: fdb,
      INTERREG_BASE_URL: 'http://interreg.foerdermatch.invalid',
      INTERREG_ALGOLIA_BASE_URL: 'http://algolia.foerdermatch.invalid',
      INTERREG_DE_DK_BASE_URL: 'http://de-dk.foerdermatch.invalid',
      INTERREG_BSR_BASE_URL: 'http://bsr.foerdermatch.invalid',
      INTERREG_NORTH_SEA_BASE_URL: 'http://north-sea.foerdermatch.invalid',
      INTERREG_SOUTH_BALTIC_BASE_URL: 'http://south-baltic.foerdermatch.invalid',
      SKEW_BASE_URL: 'http://skew.foerdermatch.invalid',
    };
    try {
      // Default retries (3): a retried DNS failure would show as 4 requests.
      await cli(['crawl'], db, { ...hosts, CRAWL_RETRIES: '3', CRAWL_BACKOFF_MS: '50' });
      expect.unreachable('should exit non-zero');
    } catch (err) {
      const e = err as { code: number; stdout: string };
      expect(e.code).toBe(3);
      const lines = e.stdout.split('\n');
      const eu = lines.findIndex((l) => l.startsWith('eu-ft: '));
      expect(lines[eu]).toMatch(/^eu-ft: failed — 0 gelistet\/listed.*, 1 Fehler\/errors, 1 requests$/);
      expect(lines[eu + 1]).toBe(
        '    ! network: host name eu.foerdermatch.invalid does not resolve (ENOTFOUND): offline or a wrong base URL (http://eu.foerdermatch.invalid/robots.txt)',
      );
      expect(lines.find((l) => l.startsWith('skew: '))).toMatch(/^skew: failed .* 1 requests$/);
      expect(e.stdout).toMatch(/^foerderdatenbank: ok — 13 gelistet\/listed, 13 neu\/new/m);
    }
  });

  it('rejects an unknown source and a bad --base-url with a clear message (in-process)', async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((msg: unknown) => {
      errors.push(String(msg));
    });
    try {
      expect(await runCli(['crawl', '--source', 'nope'])).toBe(2);
      expect(await runCli(['crawl', '--source', 'eu-ft', '--base-url', 'ftp:/x'])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(errors[0]).toContain('Unknown source "nope"');
    expect(errors[1]).toContain('--base-url expects');
  });
});
