/**
 * The API benchmark's server, in a process of its own (started by bench/api.ts with `fork`):
 * the app as src/server.ts builds it (`buildApp`, logging off) on the prepared database; with
 * `BENCH_SERVER_PEER=1` also the FTS5 peer's route. Its own process, so that the RSS measured is
 * the server's alone and neither the harness (corpus, in-process timings) nor the peer (SQLite's
 * FTS5 memory, its garbage) shares its heap or its garbage collections.
 *
 * Messages: it sends `{ type: 'listening', port, indexSeconds }` once ready; it answers
 * `{ type: 'memory' }` with `{ type: 'memory', rss, heapUsed, external }` (bytes) and `mainCpuMs`
 * (its main thread's CPU time so far, or null), and exits on
 * `{ type: 'close' }`.
 */

import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../src/app.ts';
import { callSearchIndex } from '../src/calls/search-index.ts';
import { testConfig } from '../src/config.ts';
import { createContext, createLogger } from '../src/context.ts';
import { addFtsPeerRoute, ftsPeer } from './api-setup.ts';

const config = testConfig({
  DATABASE_PATH: process.env.BENCH_SERVER_DB ?? '',
  RATE_LIMIT_PER_MINUTE: '1000000',
  RESPONSE_CACHE_MB: process.env.BENCH_SERVER_CACHE_MB ?? '32',
});
const ctx = createContext(config, createLogger(config));
const t = performance.now();
callSearchIndex(ctx);
const indexSeconds = (performance.now() - t) / 1000;
const app = await buildApp(config, { context: ctx });
if (process.env.BENCH_SERVER_PEER === '1') addFtsPeerRoute(app, ctx, ftsPeer(ctx));
await app.listen({ host: '127.0.0.1', port: 0 });

/**
 * CPU time of this process's main thread (Linux: /proc/self/task/<pid>/schedstat), null where
 * not available. Divided by a round's requests it says how much CPU one request took: the same
 * code takes more on a busy host, which is what moves the rounds (docs/search.md).
 */
function mainThreadCpuMs(): number | null {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return null;
  }
}

const send = (m: unknown) => process.send?.(m);
process.on('message', async (m: { type?: string }) => {
  if (m.type === 'memory') {
    const u = process.memoryUsage();
    send({
      type: 'memory',
      rss: u.rss,
      heapUsed: u.heapUsed,
      external: u.external,
      mainCpuMs: mainThreadCpuMs(),
    });
  } else if (m.type === 'close') {
    await app.close();
    ctx.dbh.close();
    process.disconnect();
  }
});
send({ type: 'listening', port: (app.server.address() as AddressInfo).port, indexSeconds });
