/**
 * API benchmark (not a test): 20,000 calls in a real SQLite file, a real listening server,
 * autocannon at 50 connections against
 *   GET /api/measures/:id/matches   and   GET /api/calls?q=…
 * and the same searches done with SQLite FTS5 (porter unicode61 remove_diacritics 2) on the
 * same data, in-process and over HTTP, side by side.
 *
 * Run: `tsx bench/api.ts` (also part of `npm run bench`). Options via env:
 * BENCH_CALLS (default 20000), BENCH_SECONDS per run (default 10), BENCH_CONNECTIONS (50),
 * BENCH_REPEAT (rounds of the two target runs, default 3),
 * BENCH_DB (keep the prepared database at this path and reuse it next time: skips the minute of
 * storing and matching when iterating on the server).
 */

import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { callSummaryOut } from '../src/api/schemas.ts';
import { fastSerializerCompiler } from '../src/api/serialize.ts';
import { type App, buildApp } from '../src/app.ts';
import { createToken } from '../src/auth/tokens.ts';
import { getCallCards } from '../src/calls/cards.ts';
import { statusAt } from '../src/calls/query.ts';
import { callSearchIndex } from '../src/calls/search-index.ts';
import { upsertCall } from '../src/calls/store.ts';
import { callSummaryView } from '../src/calls/view.ts';
import { testConfig } from '../src/config.ts';
import { createContext, createLogger } from '../src/context.ts';
import type { Call } from '../src/domain/call.ts';
import { fold, tokenize } from '../src/search/text.ts';
import type { Topic } from './topic.ts';

const N = Number(process.env.BENCH_CALLS ?? 20_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
const MEASURE = 'staedtepartnerschaften-1';

const queries = [
  'climate adaptation cities',
  'Städtepartnerschaft',
  'hydrogen storage',
  'youth exchange',
  'digital skills',
  'Klimaanpassung Kommunen',
  'artificial intelligence health',
  'cultural heritage',
  'maritime spatial planning',
  'quantum',
  'public administration innovation',
  'Bürgerbeteiligung Demokratie',
];

/** 20,000 calls: each topic N/1000 times, each copy with 40 words of another topic mixed in (as in perf-anchors). */
function corpus(): Call[] {
  const raw = JSON.parse(readFileSync(new URL('./data/eu-topics-1000.json', import.meta.url), 'utf8')) as {
    grants: Topic[];
  };
  const topics = raw.grants;
  const copies = Math.ceil(N / topics.length);
  const calls: Call[] = [];
  const day = 86_400_000;
  for (let k = 0; k < copies; k++) {
    topics.forEach((t, i) => {
      if (calls.length >= N) return;
      const other = topics[(i * 7 + k * 31 + 1) % topics.length]!;
      const mixed = (other.description ?? other.search_text).split(/\s+/).slice(0, 40).join(' ');
      const days = ((i * 7 + k * 13) % 240) - 30;
      const id = `${t.id}-V${k}`;
      calls.push({
        id: `eu-ft:${id}`,
        source: 'eu-ft',
        sourceId: id,
        funder: 'European Commission',
        programme: t.framework_programme ?? undefined,
        identifier: id,
        title: t.title,
        summary: (t.description ?? t.search_text).slice(0, 300),
        description: `${t.description ?? t.search_text} ${mixed}`,
        language: 'en',
        deadlines: [
          {
            at: new Date(Date.now() + days * day).toISOString(),
            timeZone: 'Europe/Brussels',
            raw: String(days),
            stage: 'single',
          },
        ],
        status: days >= 0 ? 'open' : 'closed',
        budget: t.budget_amount_eur ? { currency: 'EUR', total: t.budget_amount_eur } : undefined,
        fundingRate: i % 3 === 0 ? 0.8 : undefined,
        applicantTypes: [],
        countries: [],
        nuts: [],
        keywords: t.keywords,
        notices: [],
        provenance: {
          fetchedAt: new Date().toISOString(),
          sourceUrl: 'https://ec.europa.eu/info/funding-tenders/opportunities/portal',
          contentHash: 'bench-xxxx',
        },
      });
    });
  }
  return calls;
}

/**
 * Two-word queries nobody asked before: consecutive title words of the corpus topics, so every
 * request of a cold run is a new search (no result or order cache can answer it).
 */
function distinctQueries(): string[] {
  const raw = JSON.parse(readFileSync(new URL('./data/eu-topics-1000.json', import.meta.url), 'utf8')) as {
    grants: Topic[];
  };
  const out = new Set<string>();
  for (const t of raw.grants) {
    const words = t.title.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 4);
    for (let i = 0; i + 1 < words.length; i++) out.add(`${words[i]} ${words[i + 1]}`.toLowerCase());
  }
  return [...out].slice(0, 3000);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** FTS5 query text: the OR of the folded words, each quoted (no FTS syntax from users). */
function ftsQuery(q: string): string {
  return tokenize(fold(q))
    .map((t) => `"${t.replaceAll('"', '')}"`)
    .join(' OR ');
}

/**
 * autocannon in a child process, so the load generator does not share the server's event loop
 * (on a 2-core machine: one core each). (In a worker thread autocannon returns raw histograms.)
 */
const workerCode = `
const workerData = JSON.parse(process.env.BENCH_AUTOCANNON);
workerData.paths = JSON.parse(require('node:fs').readFileSync(workerData.pathsFile, 'utf8'));
const autocannon = require('autocannon');
let i = 0;
autocannon(
  {
    url: workerData.url,
    connections: workerData.connections,
    duration: workerData.seconds,
    headers: workerData.headers,
    // A few paths: prepared once and cycled (each connection in turn). Many: one per request,
    // counted across connections so that no query is asked twice (autocannon then builds each request).
    requests: workerData.paths.length <= 100
      ? workerData.paths.map((path) => ({ path }))
      : [{ setupRequest: (r) => ({ ...r, path: workerData.paths[i++ % workerData.paths.length] }) }],
  },
  (err, res) => process.stdout.write(JSON.stringify(err ? { error: String(err) } : {
    rps: res.requests.average, p50: res.latency.p50, p99: res.latency.p99, bad: res.non2xx + res.errors + res.timeouts,
  })),
);`;

let pathFiles = 0;
/** Request paths go to the load generator in a file (thousands of them exceed the limits of env). */
function writePaths(paths: string[]): string {
  const file = join(tmpdir(), `foerdermatch-bench-paths-${process.pid}-${pathFiles++}.json`);
  writeFileSync(file, JSON.stringify(paths));
  return file;
}

async function run(
  title: string,
  url: string,
  headers: Record<string, string>,
  paths: string[],
  seconds = SECONDS,
) {
  const pathsFile = writePaths(paths);
  const r = await new Promise<{ rps: number; p50: number; p99: number; bad: number; error?: string }>(
    (ok, fail) => {
      const child = execFile(
        process.execPath,
        ['-e', workerCode],
        {
          cwd: fileURLToPath(new URL('..', import.meta.url)),
          env: {
            ...process.env,
            BENCH_AUTOCANNON: JSON.stringify({
              url,
              headers,
              pathsFile,
              connections: CONNECTIONS,
              seconds,
            }),
          },
        },
        (err, stdout) => (err ? fail(err) : ok(JSON.parse(stdout))),
      );
      child.stdin?.end();
    },
  );
  rmSync(pathsFile, { force: true });
  if (r.error) throw new Error(r.error);
  if (!title) return r;
  console.log(
    `${title.padEnd(46)} ${String(Math.round(r.rps)).padStart(7)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   ${r.bad ? `(${r.bad} errors/non-2xx!)` : ''}`,
  );
  return r;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'foerdermatch-bench-api-'));
  const kept = process.env.BENCH_DB;
  const reuse = kept !== undefined && existsSync(kept);
  const config = testConfig({
    DATABASE_PATH: kept ?? join(dir, 'bench.db'),
    RATE_LIMIT_PER_MINUTE: '1000000',
  });
  const ctx = createContext(config, createLogger(config));
  try {
    const calls = reuse ? [] : corpus();
    let t = performance.now();
    if (reuse) {
      console.log(`reusing the prepared database ${kept}`);
    } else {
      ctx.dbh.sqlite.transaction(() => {
        for (const c of calls) upsertCall(ctx.dbh.db, c);
      })();
      console.log(`stored ${calls.length} calls in ${((performance.now() - t) / 1000).toFixed(1)} s`);

      // Real matches with the default rules, computed by `foerdermatch match` in its own process
      // (as a cron job or CLI would), so the server's heap holds only what serving needs.
      t = performance.now();
      const matchOut = execFileSync(
        process.execPath,
        [fileURLToPath(new URL('../bin/foerdermatch.js', import.meta.url)), 'match'],
        {
          env: { ...process.env, DATABASE_PATH: config.databasePath, LOG_LEVEL: 'warn' },
          encoding: 'utf8',
        },
      );
      const rows = Number(/(\d+) Treffer/.exec(matchOut)?.[1] ?? 0);
      console.log(`matched: ${rows} match rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    const top = ctx.dbh.sqlite
      .prepare(
        `select target, count(*) as n from matches where target_kind = 'measure' and eligibility != 'excluded'
         group by target order by n desc limit 1`,
      )
      .get() as { target: string; n: number } | undefined;
    const measure = top?.target ?? MEASURE;
    console.log(`measure under test: ${measure} (${top?.n ?? 0} matches)`);

    t = performance.now();
    callSearchIndex(ctx);
    const indexSeconds = (performance.now() - t) / 1000;
    console.log(
      `minisearch index build: ${indexSeconds.toFixed(2)} s, RSS ${Math.round(process.memoryUsage().rss / 1e6)} MB`,
    );

    t = performance.now();
    const sqlite = ctx.dbh.sqlite;
    sqlite.exec('drop table if exists bench_fts');
    sqlite.exec(`create virtual table bench_fts using fts5(id unindexed, title, identifier, programme, keywords, summary, description,
      tokenize = 'porter unicode61 remove_diacritics 2')`);
    sqlite.exec(`insert into bench_fts select id, title, coalesce(identifier, ''), coalesce(programme, ''),
      (select group_concat(value, ' ') from json_each(calls.keywords)), summary, description from calls`);
    console.log(`FTS5 index build: ${((performance.now() - t) / 1000).toFixed(2)} s`);
    const fts = sqlite.prepare(
      `select id, bm25(bench_fts, 0, 3, 2, 1.5, 2, 1.5, 1) as rank from bench_fts where bench_fts match ? order by rank limit 20`,
    );

    // In-process, single thread: the search alone, each query 50 times.
    const { clearQueryCaches, queryCalls } = await import('../src/calls/query.ts');
    const timeIt = (fn: (q: string) => unknown, list = queries, rounds = 50) => {
      const ms: number[] = [];
      for (let r = 0; r < rounds; r++) {
        for (const q of list) {
          const s = performance.now();
          fn(q);
          ms.push(performance.now() - s);
        }
      }
      ms.sort((a, b) => a - b);
      return `p50 ${percentile(ms, 50).toFixed(2)} ms, p99 ${percentile(ms, 99).toFixed(2)} ms`;
    };
    console.log(`\nin-process search, top 20 (single thread), the ${queries.length} queries 50 times each:`);
    console.log(
      `  queryCalls, cold        ${timeIt((q) => {
        clearQueryCaches(ctx);
        return queryCalls(ctx, { q, limit: 20 });
      })}   (search + filters + sort + page)`,
    );
    console.log(
      `  queryCalls, warm        ${timeIt((q) => queryCalls(ctx, { q, limit: 20 }))}   (same query again)`,
    );
    console.log(`  minisearch search only  ${timeIt((q) => callSearchIndex(ctx).searchUncached(q))}`);
    console.log(`  FTS5 match + bm25       ${timeIt((q) => fts.all(ftsQuery(q)))}`);
    const some = distinctQueries().slice(0, 500);
    console.log(`  ${some.length} distinct two-word queries, each once:`);
    console.log(
      `  minisearch search only  ${timeIt((q) => callSearchIndex(ctx).searchUncached(q), some, 1)}`,
    );
    console.log(`  FTS5 match + bm25       ${timeIt((q) => fts.all(ftsQuery(q)), some, 1)}`);
    const hits = (q: string) => ({
      minisearch: queryCalls(ctx, { q, limit: 1 }).total,
      fts5: (
        sqlite.prepare('select count(*) as n from bench_fts where bench_fts match ?').get(ftsQuery(q)) as {
          n: number;
        }
      ).n,
    });
    console.log('  hits per query (minisearch vs FTS5):');
    for (const q of queries) {
      const h = hits(q);
      console.log(`    ${q.padEnd(34)} ${String(h.minisearch).padStart(6)} ${String(h.fts5).padStart(6)}`);
    }

    // The FTS5 peer over HTTP, through the same pipeline as /api/calls (auth, rate limit, cards,
    // view, serializer); only the ranking is FTS5's, and it is never cached.
    const listOut = z.object({
      items: z.array(callSummaryOut),
      total: z.number().int(),
      next: z.string().nullable(),
    });
    const ftsPeer = (app: App) =>
      app.get(
        '/bench/fts',
        { serializerCompiler: fastSerializerCompiler, schema: { response: { 200: listOut } } },
        async (req) => {
          const now = Date.now();
          const q = String((req.query as { q?: string }).q ?? '');
          const hits = fts.all(ftsQuery(q)) as { id: string; rank: number }[];
          const rank = new Map(hits.map((h) => [h.id, -h.rank]));
          const index = callSearchIndex(ctx);
          const items = getCallCards(
            ctx.dbh.sqlite,
            hits.map((h) => h.id),
          ).map((call) => {
            const f = index.facts.get(call.id)!;
            return callSummaryView(
              {
                call,
                status: statusAt(f, now),
                upcomingDeadline: null,
                relevance: rank.get(call.id) ?? null,
                match: null,
              },
              now,
            );
          });
          return { items, total: items.length, next: null };
        },
      );
    const listen = async (cacheMb: string) => {
      const cfg = testConfig({
        DATABASE_PATH: config.databasePath,
        RATE_LIMIT_PER_MINUTE: '1000000',
        RESPONSE_CACHE_MB: cacheMb,
      });
      const app = await buildApp(cfg, { context: ctx });
      ftsPeer(app);
      await app.listen({ host: '127.0.0.1', port: 0 });
      return { app, base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
    };
    const cachedApp = await listen('32');
    const uncachedApp = await listen('0');
    const { token } = createToken(ctx.dbh.db, { name: 'bench', role: 'reader' });
    const plain = { authorization: `Bearer ${token}` };
    // What browsers send; Node's fetch sends "gzip, deflate". Without it answers are uncompressed.
    const headers = { ...plain, 'accept-encoding': 'gzip, deflate, br' };
    const search = (path: string, qs: string[]) => qs.map((q) => `${path}?q=${encodeURIComponent(q)}`);
    const fresh = distinctQueries();
    /** The target routes are run REPEAT times (this machine's neighbours make single runs noisy): all rounds, then the median. */
    const repeated = async (title: string, url: string, h: Record<string, string>, paths: string[]) => {
      await run('', url, h, paths, 3); // warm-up, not counted (JIT, first compression of each answer)
      const rounds: Awaited<ReturnType<typeof run>>[] = [];
      for (let i = 0; i < REPEAT; i++) rounds.push(await run(`${title} #${i + 1}`, url, h, paths));
      if (REPEAT < 2) return;
      const med = (k: 'rps' | 'p50' | 'p99') =>
        rounds.map((r) => r[k]).sort((a, b) => a - b)[(REPEAT - 1) >> 1]!;
      console.log(
        `${`${title}, median`.padEnd(46)} ${String(Math.round(med('rps'))).padStart(7)} req/s   p50 ${String(med('p50')).padStart(4)} ms   p99 ${String(med('p99')).padStart(4)} ms`,
      );
    };

    console.log(`\nHTTP, autocannon, ${CONNECTIONS} connections, ${SECONDS} s each (target p99 ≤ 15 ms):`);
    console.log(
      'response cache on (the server as configured by default), Accept-Encoding: gzip, deflate, br:',
    );
    const base = cachedApp.base;
    await repeated('GET /api/measures/:id/matches', base, headers, [`/api/measures/${measure}/matches`]);
    await repeated(
      'GET /api/calls?q=… (12 queries, minisearch)',
      base,
      headers,
      search('/api/calls', queries),
    );
    console.log('response cache on, no Accept-Encoding (uncompressed answers):');
    await run('GET /api/measures/:id/matches', base, plain, [`/api/measures/${measure}/matches`]);
    await run('GET /api/calls?q=… (12 queries, minisearch)', base, plain, search('/api/calls', queries));
    console.log(
      'response cache off (RESPONSE_CACHE_MB=0; search results and list orders still kept; each answer compressed anew):',
    );
    const off = uncachedApp.base;
    await run('GET /api/measures/:id/matches', off, headers, [`/api/measures/${measure}/matches`]);
    await run('GET /api/calls?q=… (12 queries, minisearch)', off, headers, search('/api/calls', queries));
    await run('GET /bench/fts?q=… (12 queries, FTS5 peer)', off, headers, search('/bench/fts', queries));
    console.log(`cold: response cache off and every query new (${fresh.length} distinct two-word queries):`);
    await run('GET /api/calls?q=… (distinct, minisearch)', off, headers, search('/api/calls', fresh));
    await run('GET /bench/fts?q=… (distinct, FTS5 peer)', off, headers, search('/bench/fts', fresh));
    await cachedApp.app.close();
    await uncachedApp.app.close();
    console.log(`RSS after runs: ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
  } finally {
    ctx.dbh.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
