/**
 * API benchmark (not a test): 20,000 calls in a real SQLite file, a real listening server,
 * autocannon at 50 connections against
 *   GET /api/measures/:id/matches   and   GET /api/calls?q=…
 * and the same searches done with SQLite FTS5 (porter unicode61 remove_diacritics 2) on the
 * same data, in-process and over HTTP, side by side. Ends with a summary table (our search
 * against the FTS5 peer of the same run) and exits non-zero when any request got no 2xx answer.
 *
 * Run: `tsx bench/api.ts` (also part of `npm run bench`; `npm run bench:search` runs the search
 * part only). Options via env:
 * BENCH_CALLS (default 20000), BENCH_SECONDS per run (default 10), BENCH_CONNECTIONS (50),
 * BENCH_REPEAT (rounds of the two target runs, default 3), BENCH_ONLY=search (skip the list
 * routes' runs), BENCH_DB (keep the prepared database at this path and reuse it next time:
 * skips the minute of storing and matching when iterating on the server).
 */

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createToken } from '../src/auth/tokens.ts';
import { clearQueryCaches, queryCalls } from '../src/calls/query.ts';
import { callSearchIndex } from '../src/calls/search-index.ts';
import { testConfig } from '../src/config.ts';
import { createContext, createLogger } from '../src/context.ts';
import { type ServerChild, startServer } from './api-child.ts';
import {
  buildFtsTable,
  distinctQueries,
  firstVisitPaths,
  ftsPeer,
  prepareDatabase,
  queries,
} from './api-setup.ts';
import { type LoadResult, load } from './load.ts';
import {
  cpuNote,
  failedRuns,
  fmt,
  percentile,
  report,
  type Summary,
  summaryTable,
  type Timing,
} from './report.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
const SEARCH_ONLY = process.env.BENCH_ONLY === 'search';
const MEASURE = 'staedtepartnerschaften-1';

const mb = () => Math.round(process.memoryUsage().rss / 1e6);

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'foerdermatch-bench-api-'));
  const kept = process.env.BENCH_DB;
  // Checked before the context opens (and so creates) the file: a new path is prepared, not reused.
  const reuse = kept !== undefined && existsSync(kept);
  const config = testConfig({
    DATABASE_PATH: kept ?? join(dir, 'bench.db'),
    RATE_LIMIT_PER_MINUTE: '1000000',
  });
  const ctx = createContext(config, createLogger(config));
  const load1 = loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
  console.log(`machine load (1, 5, 15 min): ${load1} on a machine shared with other work`);
  try {
    prepareDatabase(ctx, config, reuse);
    const top = ctx.dbh.sqlite
      .prepare(
        `select target, count(*) as n from matches where target_kind = 'measure' and eligibility != 'excluded'
         group by target order by n desc limit 1`,
      )
      .get() as { target: string; n: number } | undefined;
    const measure = top?.target ?? MEASURE;

    const t = performance.now();
    callSearchIndex(ctx);
    console.log(
      `search index build (bench process): ${((performance.now() - t) / 1000).toFixed(2)} s, RSS ${mb()} MB`,
    );
    const ftsSeconds = buildFtsTable(ctx);
    const fts = ftsPeer(ctx);
    console.log(`FTS5 index build: ${ftsSeconds.toFixed(2)} s`);

    // In-process, single thread: the search alone.
    const timeIt = (fn: (q: string) => unknown, list = queries, rounds = 50): Timing => {
      const ms: number[] = [];
      for (let r = 0; r < rounds; r++) {
        for (const q of list) {
          const s = performance.now();
          fn(q);
          ms.push(performance.now() - s);
        }
      }
      ms.sort((a, b) => a - b);
      return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
    };
    const ours = (q: string) => callSearchIndex(ctx).searchUncached(q);
    console.log(`\nin-process search (single thread), the ${queries.length} queries 50 times each:`);
    const cold = timeIt((q) => {
      clearQueryCaches(ctx);
      return queryCalls(ctx, { q, limit: 20 });
    });
    console.log(`  queryCalls, cold        ${fmt(cold)}   (search + filters + sort + page)`);
    console.log(
      `  queryCalls, warm        ${fmt(timeIt((q) => queryCalls(ctx, { q, limit: 20 })))}   (same query again)`,
    );
    const inProcess12 = { ours: timeIt(ours), fts: timeIt(fts.top) };
    console.log(`  search only (all hits)  ${fmt(inProcess12.ours)}`);
    console.log(`  FTS5 match + bm25 top20 ${fmt(inProcess12.fts)}`);
    const some = distinctQueries().slice(0, 500);
    const inProcessDistinct = { ours: timeIt(ours, some, 1), fts: timeIt(fts.top, some, 1) };
    console.log(`  ${some.length} distinct two-word queries, each once:`);
    console.log(`  search only (all hits)  ${fmt(inProcessDistinct.ours)}`);
    console.log(`  FTS5 match + bm25 top20 ${fmt(inProcessDistinct.fts)}`);
    const hits = queries.map((q) => ({ q, ours: queryCalls(ctx, { q, limit: 1 }).total, fts: fts.count(q) }));
    console.log('  hits per query (ours vs FTS5):');
    for (const h of hits)
      console.log(`    ${h.q.padEnd(34)} ${String(h.ours).padStart(6)} ${String(h.fts).padStart(6)}`);

    // The authorization header is added per run (see run).
    const plain: Record<string, string> = {};
    // What browsers send; Node's fetch sends "gzip, deflate". Without it answers are uncompressed.
    const headers = { 'accept-encoding': 'gzip, deflate, br' };
    const search = (path: string, qs: string[]) => qs.map((q) => `${path}?q=${encodeURIComponent(q)}`);
    // Each run with a token of its own: the rate limit counts per token and minute (at most
    // 1,000,000), and answers from the response cache come fast enough that runs within one
    // minute would otherwise share it and end in 429s.
    let runs = 0;
    /**
     * One autocannon run against `target`; for a server child also the CPU its main thread spent
     * per request in the run (`cpuPerRequestMs`), which tells a slow round of a busy host from
     * a slow round of our code.
     */
    const run = async (
      title: string,
      target: string | ServerChild,
      h: Record<string, string>,
      paths: string[],
      seconds = SECONDS,
    ) => {
      const own = createToken(ctx.dbh.db, { name: `bench-${++runs}`, role: 'reader' }).token;
      const auth = { ...h, authorization: `Bearer ${own}` };
      const server = typeof target === 'string' ? null : target;
      const before = (await server?.memory())?.mainCpuMs ?? null;
      const r = await load(server?.base ?? (target as string), auth, paths, {
        seconds,
        connections: CONNECTIONS,
      });
      const after = (await server?.memory())?.mainCpuMs ?? null;
      if (before !== null && after !== null && r.requests > 0)
        r.cpuPerRequestMs = (after - before) / r.requests;
      return report(title, r);
    };
    /** The target runs are repeated (this machine's neighbours make single runs noisy): all rounds, then the median. */
    const repeated = async (title: string, url: string, h: Record<string, string>, paths: string[]) => {
      await run(`${title} (warm-up)`, url, h, paths, 3);
      const rounds: LoadResult[] = [];
      for (let i = 0; i < REPEAT; i++) rounds.push(await run(`${title} #${i + 1}`, url, h, paths));
      if (REPEAT < 2) return;
      const med = (k: 'rps' | 'p50' | 'p99') =>
        rounds.map((r) => r[k]).sort((a, b) => a - b)[(REPEAT - 1) >> 1]!;
      console.log(
        `${`${title}, median`.padEnd(46)} ${String(Math.round(med('rps'))).padStart(7)} req/s   p50 ${String(med('p50')).padStart(4)} ms   p99 ${String(med('p99')).padStart(4)} ms`,
      );
    };

    console.log(
      `\nHTTP, autocannon, ${CONNECTIONS} connections, ${SECONDS} s each, the server in its own process:`,
    );
    if (!SEARCH_ONLY) {
      const cachedServer = await startServer(config.databasePath, '32');
      const base = cachedServer.base;
      console.log(
        'response cache on (the server as configured by default), Accept-Encoding: gzip, deflate, br:',
      );
      await repeated('GET /api/measures/:id/matches', base, headers, [`/api/measures/${measure}/matches`]);
      await repeated('GET /api/calls?q=… (12 queries)', base, headers, search('/api/calls', queries));
      console.log('response cache on, no Accept-Encoding (uncompressed answers):');
      await run('GET /api/measures/:id/matches', base, plain, [`/api/measures/${measure}/matches`]);
      await run('GET /api/calls?q=… (12 queries)', base, plain, search('/api/calls', queries));
      console.log(`  server RSS after these runs: ${Math.round((await cachedServer.memory()).rss / 1e6)} MB`);
      await cachedServer.close();
    }
    const offServer = await startServer(config.databasePath, '0');
    const off = offServer.base;
    // The peer in a server of its own (same code and pipeline): its SQLite memory and garbage
    // would otherwise count in our server's RSS and pauses, and ours in its.
    const peerServer = await startServer(config.databasePath, '0', { peer: true });
    console.log(
      'response cache off (RESPONSE_CACHE_MB=0; search results and list orders still kept; each answer compressed anew):',
    );
    if (!SEARCH_ONLY)
      await run('GET /api/measures/:id/matches', off, headers, [`/api/measures/${measure}/matches`]);
    /**
     * Ours and the FTS5 peer in turns, REPEAT rounds each, medians: the load of this shared
     * machine changes within a minute, so only runs side by side compare.
     */
    const paired = async (what: string, ours: ServerChild, paths: (path: string, i: number) => string[]) => {
      const a: LoadResult[] = [];
      const b: LoadResult[] = [];
      for (let i = 0; i < REPEAT; i++) {
        a.push(await run(`GET /api/calls?q=… (${what}) #${i + 1}`, ours, headers, paths('/api/calls', i)));
        b.push(
          await run(
            `GET /bench/fts?q=… (${what}, FTS5) #${i + 1}`,
            peerServer,
            headers,
            paths('/bench/fts', i),
          ),
        );
      }
      const median = (rs: LoadResult[]): LoadResult => {
        const m = (k: 'rps' | 'p50' | 'p99') =>
          rs.map((r) => r[k]).sort((x, y) => x - y)[(rs.length - 1) >> 1]!;
        const cpu = rs.flatMap((r) => (r.cpuPerRequestMs === undefined ? [] : [r.cpuPerRequestMs]));
        cpu.sort((x, y) => x - y);
        const cpuPerRequestMs = cpu.length === rs.length ? cpu[(cpu.length - 1) >> 1] : undefined;
        return { ...rs[0]!, rps: m('rps'), p50: m('p50'), p99: m('p99'), cpuPerRequestMs };
      };
      const out = { ours: median(a), fts: median(b) };
      if (REPEAT > 1) {
        for (const [title, r] of [
          [`GET /api/calls?q=… (${what}), median`, out.ours],
          [`GET /bench/fts?q=… (${what}, FTS5), median`, out.fts],
        ] as const)
          console.log(
            `${title.padEnd(46)} ${String(Math.round(r.rps)).padStart(7)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms${cpuNote(r)}`,
          );
      }
      return out;
    };
    // Each round starts elsewhere in the list, so that a round does not repeat the last one's queries.
    const turn = <T>(list: T[], i: number) => {
      const at = Math.floor((i * list.length) / REPEAT);
      return [...list.slice(at), ...list.slice(0, at)];
    };
    const http12 = await paired('12 queries', offServer, (path, i) => search(path, turn(queries, i)));
    await offServer.close();

    // New queries as users send them: to the server as `npm start` runs it (response cache on).
    const server = await startServer(config.databasePath, '32');
    console.log(`search index build at the server's start: ${server.indexSeconds.toFixed(2)} s`);
    const fresh = distinctQueries();
    // 60 variants: 180,000 URLs, 60,000 per round, more than a 10-s round asks at 6,000 req/s.
    const visits = firstVisitPaths('', fresh, 60);
    console.log(
      `cold: the server as configured by default (response cache on), every query new: ${fresh.length} distinct two-word queries, every URL asked once (${visits.length} URLs; see firstVisitPaths):`,
    );
    await run('warm-up, not counted', server.base, headers, search('/api/calls', fresh.slice(-300)), 3);
    const httpDistinct = await paired('distinct', server, (path, i) =>
      turn(visits, i).map((v) => `${path}${v}`),
    );
    const m = await server.memory();
    const mPeer = await peerServer.memory();
    await server.close();
    await peerServer.close();
    const rssMb = Math.round(m.rss / 1e6);
    console.log(
      `server RSS after the runs: ${rssMb} MB (JS heap ${Math.round(m.heapUsed / 1e6)} MB, external ${Math.round(m.external / 1e6)} MB); the FTS5 peer's server: ${Math.round(mPeer.rss / 1e6)} MB`,
    );

    const summary: Summary = {
      load: load1,
      indexSeconds: server.indexSeconds,
      ftsSeconds,
      inProcess12,
      inProcessDistinct,
      http12,
      httpDistinct,
      hits,
      rssMb,
      peerRssMb: Math.round(mPeer.rss / 1e6),
    };
    console.log(`\n${summaryTable(summary)}`);
  } finally {
    ctx.dbh.close();
    rmSync(dir, { recursive: true, force: true });
  }
  if (failedRuns.length > 0) {
    console.error(
      `\nFAILED: requests without a 2xx answer in ${failedRuns.length} runs:\n  ${failedRuns.join('\n  ')}`,
    );
    process.exitCode = 1;
  }
}

await main();
