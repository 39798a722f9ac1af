import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMatchingBench } from './matching.ts';
import type { BenchResult } from './result.ts';

/**
 * `npm run bench`: runs each registered benchmark in a temporary folder and prints a table.
 * Benchmarks are never part of the test suite. Add a module and register it below.
 * `BENCH_ONLY=matching` (or `npm run bench:matching`) runs only the named benchmark.
 */

const only = process.env.BENCH_ONLY;
const benches: { name: string; run: (dir: string) => BenchResult[] }[] = [
  { name: 'matching', run: runMatchingBench },
].filter((b) => !only || b.name === only);

let peak = process.memoryUsage().rss;
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 20);

const rows: string[] = [];
let failed = 0;
for (const b of benches) {
  const dir = mkdtempSync(join(tmpdir(), `foerdermatch-bench-${b.name}-`));
  try {
    for (const r of b.run(dir)) {
      peak = Math.max(peak, process.memoryUsage().rss);
      const verdict =
        r.target === undefined ? '' : r.ms <= r.target ? `ok (≤ ${r.target} ms)` : `FAIL (> ${r.target} ms)`;
      if (verdict.startsWith('FAIL')) failed++;
      rows.push(
        `${b.name.padEnd(9)} ${r.name.padEnd(48)} ${r.ms.toFixed(0).padStart(7)} ms  ${verdict.padEnd(16)} ${r.detail ?? ''}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
clearInterval(timer);
peak = Math.max(peak, process.memoryUsage().rss);
process.stdout.write(`${rows.join('\n')}\npeak memory (RSS) ${(peak / 1024 / 1024).toFixed(0)} MB\n`);
if (failed > 0) process.exitCode = 1;
