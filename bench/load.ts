/**
 * Load generation for the API benchmark: autocannon in a child process, so the load generator
 * does not share the server's event loop (on a 2-core machine: one core each). In a worker
 * thread autocannon returns raw histograms, hence a child.
 */

import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  /** Answers by HTTP status ("200": 51234, "429": 12). */
  statusCodes: Record<string, number>;
  /** Requests sent in the run (answered or not). */
  requests: number;
  /** Requests without an answer, by cause ("request timed out", "ECONNRESET", …). */
  errors: Record<string, number>;
  /** Requests that got no 2xx answer (non-2xx answers plus errors, timeouts included once). */
  bad: number;
  /** CPU of the server's main thread per request in the run, where measured (bench/api.ts). */
  cpuPerRequestMs?: number;
}

// autocannon records latencies of 2xx answers only: a round of fast 429s would look fast, so
// the statuses and causes are brought back and every one that is not 2xx is counted.
const childCode = `
const opts = JSON.parse(process.env.BENCH_AUTOCANNON);
const paths = JSON.parse(require('node:fs').readFileSync(opts.pathsFile, 'utf8'));
const autocannon = require('autocannon');
const errors = {};
let i = 0;
const instance = autocannon(
  {
    url: opts.url,
    connections: opts.connections,
    duration: opts.seconds,
    headers: opts.headers,
    // A few paths: prepared once and cycled (each connection in turn). Many: one per request,
    // counted across connections so that no query is asked twice (autocannon then builds each request).
    requests: paths.length <= 100
      ? paths.map((path) => ({ path }))
      : [{ setupRequest: (r) => ({ ...r, path: paths[i++ % paths.length] }) }],
  },
  (err, res) => {
    if (err) return process.stdout.write(JSON.stringify({ error: String(err) }));
    const statusCodes = {};
    for (const [code, s] of Object.entries(res.statusCodeStats)) statusCodes[code] = s.count;
    process.stdout.write(JSON.stringify({
      rps: res.requests.average, requests: res.requests.total, p50: res.latency.p50, p99: res.latency.p99, statusCodes, errors,
      bad: res.non2xx + res.errors,
    }));
  },
);
instance.on('reqError', (e) => {
  const key = e.code ?? e.message;
  errors[key] = (errors[key] ?? 0) + 1;
});`;

let pathFiles = 0;

/** Runs autocannon against `url` with `paths` for `seconds`; resolves with the figures. */
export async function load(
  url: string,
  headers: Record<string, string>,
  paths: string[],
  options: { seconds: number; connections: number },
): Promise<LoadResult> {
  // Request paths go to the load generator in a file (thousands of them exceed the limits of env).
  const pathsFile = join(tmpdir(), `foerdermatch-bench-paths-${process.pid}-${pathFiles++}.json`);
  writeFileSync(pathsFile, JSON.stringify(paths));
  try {
    const r = await new Promise<LoadResult & { error?: string }>((ok, fail) => {
      const child = execFile(
        process.execPath,
        ['-e', childCode],
        {
          cwd: fileURLToPath(new URL('..', import.meta.url)),
          env: {
            ...process.env,
            BENCH_AUTOCANNON: JSON.stringify({ url, headers, pathsFile, ...options }),
          },
        },
        (err, stdout) => (err ? fail(err) : ok(JSON.parse(stdout))),
      );
      child.stdin?.end();
    });
    if (r.error) throw new Error(r.error);
    return r;
  } finally {
    rmSync(pathsFile, { force: true });
  }
}
