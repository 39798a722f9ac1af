/**
 * Setup of the API benchmark: the corpus of 20,000 calls, the queries, the prepared database
 * (stored calls and real matches) and the SQLite FTS5 peer with its HTTP route.
 */

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sendJsonText } from '../src/api/serialize.ts';
import type { App } from '../src/app.ts';
import { getCallCards } from '../src/calls/cards.ts';
import { callListJson } from '../src/calls/list-json.ts';
import { statusAt } from '../src/calls/query.ts';
import { callSearchIndex } from '../src/calls/search-index.ts';
import { upsertCall } from '../src/calls/store.ts';
import type { Config } from '../src/config.ts';
import type { AppContext } from '../src/context.ts';
import type { Call } from '../src/domain/call.ts';
import { fold, tokenize } from '../src/search/text.ts';
import type { Topic } from './topic.ts';

export const N = Number(process.env.BENCH_CALLS ?? 20_000);

/** The 12 queries of the repeated runs; the last three are German (FTS5 with porter finds none of them). */
export const queries = [
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

function topics(): Topic[] {
  return (
    JSON.parse(readFileSync(new URL('./data/eu-topics-1000.json', import.meta.url), 'utf8')) as {
      grants: Topic[];
    }
  ).grants;
}

/** 20,000 calls: each topic N/1000 times, each copy with 40 words of another topic mixed in (as in perf-anchors). */
function corpus(): Call[] {
  const all = topics();
  const copies = Math.ceil(N / all.length);
  const calls: Call[] = [];
  const day = 86_400_000;
  for (let k = 0; k < copies; k++) {
    all.forEach((t, i) => {
      if (calls.length >= N) return;
      const other = all[(i * 7 + k * 31 + 1) % all.length]!;
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
export function distinctQueries(): string[] {
  const out = new Set<string>();
  for (const t of topics()) {
    const words = t.title.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 4);
    for (let i = 0; i + 1 < words.length; i++) out.add(`${words[i]} ${words[i + 1]}`.toLowerCase());
  }
  return [...out].slice(0, 3000);
}

/**
 * `qs` as URLs no server has seen: each query `variants` times, with 2, 3, … spaces between its
 * words. The search reads every variant as the same words; the response cache keys on the URL,
 * so each is a first visit to it (it keeps an answer only from a key's second request). Ordered
 * variant by variant, so a run that takes a slice of the list meets every query before any again.
 */
export function firstVisitPaths(path: string, qs: string[], variants: number): string[] {
  const out: string[] = [];
  for (let k = 2; k < variants + 2; k++)
    for (const q of qs) out.push(`${path}?q=${encodeURIComponent(q.split(' ').join(' '.repeat(k)))}`);
  return out;
}

/**
 * Stores the corpus and computes real matches with the default rules, by `foerdermatch match`
 * in its own process (as a cron job or CLI would), so the server's heap holds only what serving
 * needs. Skipped when `reuse` (a database prepared by an earlier run).
 */
export function prepareDatabase(ctx: AppContext, config: Config, reuse: boolean): void {
  if (reuse) {
    console.log(`reusing the prepared database ${config.databasePath}`);
    return;
  }
  const calls = corpus();
  let t = performance.now();
  ctx.dbh.sqlite.transaction(() => {
    for (const c of calls) upsertCall(ctx.dbh.db, c);
  })();
  console.log(`stored ${calls.length} calls in ${((performance.now() - t) / 1000).toFixed(1)} s`);
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

/** FTS5 query text: the OR of the folded words, each quoted (no FTS syntax from users). */
export function ftsQuery(q: string): string {
  return tokenize(fold(q))
    .map((t) => `"${t.replaceAll('"', '')}"`)
    .join(' OR ');
}

/** Builds the FTS5 peer's table (porter unicode61 remove_diacritics 2); returns the seconds it took. */
export function buildFtsTable(ctx: AppContext): number {
  const { sqlite } = ctx.dbh;
  const t = performance.now();
  sqlite.exec('drop table if exists bench_fts');
  sqlite.exec(`create virtual table bench_fts using fts5(id unindexed, title, identifier, programme, keywords, summary, description,
    tokenize = 'porter unicode61 remove_diacritics 2')`);
  sqlite.exec(`insert into bench_fts select id, title, coalesce(identifier, ''), coalesce(programme, ''),
    (select group_concat(value, ' ') from json_each(calls.keywords)), summary, description from calls`);
  return (performance.now() - t) / 1000;
}

/** The FTS5 peer's queries (on a table `buildFtsTable` made): bm25 with the same field weights, top 20. */
export function ftsPeer(ctx: AppContext) {
  const { sqlite } = ctx.dbh;
  const top = sqlite.prepare(
    `select id, bm25(bench_fts, 0, 3, 2, 1.5, 2, 1.5, 1) as rank from bench_fts where bench_fts match ? order by rank limit 20`,
  );
  const count = sqlite.prepare('select count(*) as n from bench_fts where bench_fts match ?').pluck();
  return {
    top: (q: string) => top.all(ftsQuery(q)) as { id: string; rank: number }[],
    count: (q: string) => count.get(ftsQuery(q)) as number,
  };
}
export type FtsPeer = ReturnType<typeof ftsPeer>;

/**
 * The FTS5 peer over HTTP, through the same pipeline as /api/calls (auth, rate limit, cards,
 * view, serializer, compression); only the ranking is FTS5's, and it is never cached.
 */
export function addFtsPeerRoute(app: App, ctx: AppContext, fts: FtsPeer): void {
  app.get('/bench/fts', async (req, reply) => {
    const now = Date.now();
    const hits = fts.top(String((req.query as { q?: string }).q ?? ''));
    const rank = new Map(hits.map((h) => [h.id, -h.rank]));
    const index = callSearchIndex(ctx);
    const items = getCallCards(
      ctx.dbh.sqlite,
      hits.map((h) => h.id),
    ).map((call) => ({
      call,
      status: statusAt(index.facts.get(call.id)!, now),
      upcomingDeadline: null,
      relevance: rank.get(call.id) ?? null,
      match: null,
    }));
    return sendJsonText(reply, callListJson(items, items.length, null, now));
  });
}
