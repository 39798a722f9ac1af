import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fromPackage } from '../../src/paths.ts';
import { serveInterreg, serveSkew } from '../crawlers/sites.ts';
import { useFixtureServer } from '../helpers/fixture-server.ts';
import { useTmpDir } from '../helpers/tmp.ts';

const run = promisify(execFile);
const bin = fromPackage('bin', 'foerdermatch.js');

describe('foerdermatch crawl --source interreg / skew (real process, local server)', () => {
  const tmp = useTmpDir();
  const makeServer = useFixtureServer();
  const cli = (args: string[], db: string) =>
    run(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH, DATABASE_PATH: db, CRAWL_MIN_DELAY_MS: '0', CRAWL_BACKOFF_MS: '5' },
      encoding: 'utf8',
    });

  it('fills one database from both sources, with dates, rates, eligibility and provenance', async () => {
    const server = serveSkew(serveInterreg(makeServer()));
    const base = await server.start();
    const db = join(tmp(), 'cli.db');
    expect((await cli(['crawl', '--source', 'interreg', '--base-url', base], db)).stdout).toMatch(
      /^interreg: ok — 11 gelistet\/listed, 11 neu\/new/,
    );
    expect((await cli(['crawl', '--source', 'skew', '--base-url', base], db)).stdout).toMatch(
      /^skew: ok — 10 gelistet\/listed, 10 neu\/new/,
    );
    const calls = JSON.parse((await cli(['calls', '--json'], db)).stdout) as Array<Record<string, unknown>>;
    expect(calls.find((c) => c.id === 'interreg:de-dk:pkp')).toMatchObject({
      fundingRate: 0.65,
      deadlines: [{ at: '2025-04-01T21:59:00.000Z' }, { at: '2025-09-09T21:59:00.000Z' }],
      nuts: expect.arrayContaining(['DEF02']),
      provenance: { sourceUrl: `${base}/wir-foerdern/pool-fuer-kuerzere-projekte/` },
    });
    expect(calls.find((c) => c.id === 'skew:unterstuetzung-durch-nakopa')).toMatchObject({
      fundingRate: 0.9,
      funder: 'Bundesministerium für wirtschaftliche Zusammenarbeit und Entwicklung (BMZ)',
      applicantTypes: ['municipality'],
      deadlines: [{ stage: 'interest' }, { stage: 'full-application' }],
      provenance: { sourceUrl: `${base}/unterstuetzung-durch-nakopa.html` },
    });
  });
});
