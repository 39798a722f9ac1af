/** Output of the API benchmark: one line per run, failed requests tallied, and the summary table. */

import type { LoadResult } from './load.ts';

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs with requests that got no 2xx answer; the benchmark exits non-zero when there is one. */
export const failedRuns: string[] = [];

/** What went wrong in a run: non-2xx statuses and error causes with their counts. */
export function whatFailed(r: LoadResult): string {
  const parts = [
    ...Object.entries(r.statusCodes)
      .filter(([code]) => !code.startsWith('2'))
      .map(([code, n]) => `HTTP ${code} × ${n}`),
    ...Object.entries(r.errors).map(([cause, n]) => `${cause} × ${n}`),
  ];
  return parts.join(', ');
}

/** The server main thread's CPU per request of a run, where measured. */
export const cpuNote = (r: LoadResult) =>
  r.cpuPerRequestMs === undefined ? '' : `   CPU ${r.cpuPerRequestMs.toFixed(2)} ms/req`;

/** Records a run (and its failures) and prints its line. */
export function report(title: string, r: LoadResult): LoadResult {
  if (r.bad > 0) failedRuns.push(`${title}: ${r.bad} requests without a 2xx answer (${whatFailed(r)})`);
  console.log(
    `${title.padEnd(46)} ${String(Math.round(r.rps)).padStart(7)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms${cpuNote(r)}   ${r.bad ? `FAILED REQUESTS: ${r.bad} (${whatFailed(r)})` : ''}`,
  );
  return r;
}

export interface Timing {
  p50: number;
  p99: number;
}

export const fmt = (t: Timing) => `p50 ${t.p50.toFixed(2)} ms, p99 ${t.p99.toFixed(2)} ms`;

/** The summary: our search against the FTS5 peer of the same run, with the targets of issue 15. */
export interface Summary {
  load: string;
  indexSeconds: number;
  ftsSeconds: number;
  inProcess12: { ours: Timing; fts: Timing };
  inProcessDistinct: { ours: Timing; fts: Timing };
  http12?: { ours: LoadResult; fts: LoadResult };
  httpDistinct?: { ours: LoadResult; fts: LoadResult };
  hits: { q: string; ours: number; fts: number }[];
  rssMb?: number;
  /** RSS of the FTS5 peer's own server after the same runs. */
  peerRssMb?: number;
}

export function summaryTable(s: Summary): string {
  const ok = (pass: boolean) => (pass ? 'met' : 'MISSED');
  const ms = (t: Timing) => `${t.p50.toFixed(2)} / ${t.p99.toFixed(2)} ms`;
  const http = (r: LoadResult) => `${Math.round(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`;
  const rows: string[][] = [
    [
      'search index build (20,000 calls)',
      `${s.indexSeconds.toFixed(2)} s`,
      `${s.ftsSeconds.toFixed(2)} s`,
      `≤ 1.5 s: ${ok(s.indexSeconds <= 1.5)}`,
    ],
    [
      'in process, 12 queries × 50, p50 / p99',
      ms(s.inProcess12.ours),
      ms(s.inProcess12.fts),
      `p99 ≤ peer: ${ok(s.inProcess12.ours.p99 <= s.inProcess12.fts.p99)}`,
    ],
    [
      'in process, 500 distinct two-word queries, p50 / p99',
      ms(s.inProcessDistinct.ours),
      ms(s.inProcessDistinct.fts),
      `p99 ≤ peer: ${ok(s.inProcessDistinct.ours.p99 <= s.inProcessDistinct.fts.p99)}`,
    ],
  ];
  if (s.http12)
    rows.push(['HTTP, 12 queries, response cache off', http(s.http12.ours), http(s.http12.fts), '–']);
  if (s.httpDistinct) {
    const { ours, fts } = s.httpDistinct;
    rows.push([
      'HTTP, distinct queries, every URL new, default server',
      http(ours),
      http(fts),
      `req/s ≥ peer: ${ok(ours.rps >= fts.rps)}; p99 ≤ 50 ms: ${ok(ours.p99 <= 50)}`,
    ]);
    if (ours.cpuPerRequestMs !== undefined && fts.cpuPerRequestMs !== undefined)
      rows.push([
        'same rounds: CPU per request, server main thread (median)',
        `${ours.cpuPerRequestMs.toFixed(2)} ms`,
        `${fts.cpuPerRequestMs.toFixed(2)} ms`,
        '– (the same code takes more on a busy host)',
      ]);
  }
  for (const h of s.hits) rows.push([`hits: ${h.q}`, String(h.ours), String(h.fts), '–']);
  if (s.rssMb !== undefined)
    rows.push([
      'server RSS after the runs',
      `${s.rssMb} MB`,
      s.peerRssMb === undefined ? '–' : `${s.peerRssMb} MB (its own server)`,
      `≤ 400 MB: ${ok(s.rssMb <= 400)}`,
    ]);
  const head = ['', 'foerdermatch search', 'FTS5 peer', 'target'];
  return [
    `machine load before the runs: ${s.load}`,
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}
