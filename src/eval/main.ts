import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { parseImportFile } from '../calls/import-jsonl.ts';
import { loadConceptFile } from '../concept/load.ts';
import { compileEngine } from '../matching/engine.ts';
import { fromPackage } from '../paths.ts';
import type { Label } from './metrics.ts';
import { type EvalResult, evaluateBaseline, evaluateEngine } from './run.ts';

/**
 * `npm run eval`: ranks the development set with the default rules and with a plain BM25
 * baseline in the same run, and prints nDCG@10, P@10 and must-see recall@20 per action field.
 * Options: --rules FILE, --dir DIR (calls.jsonl + labels.jsonl), --half a|b (every other call,
 * a held-out sanity check), --verbose (missed must-see calls and violations).
 */
const { values: opts } = parseArgs({
  options: {
    rules: { type: 'string', default: fromPackage('rules', 'default-rules.json') },
    dir: { type: 'string', default: fromPackage('eval', 'dev') },
    half: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});

const concept = loadConceptFile(fromPackage('rules', 'concept.json')).concept;
const engine = compileEngine(JSON.parse(readFileSync(opts.rules!, 'utf8')), concept);
const { calls: all, errors } = parseImportFile(readFileSync(`${opts.dir}/calls.jsonl`, 'utf8'));
for (const e of errors) console.error(`calls.jsonl line ${e.line}: ${e.reason}`);
const keep = (i: number) => (opts.half === 'a' ? i % 2 === 0 : opts.half === 'b' ? i % 2 === 1 : true);
const calls = all.filter((_c, i) => keep(i));
const ids = new Set(calls.map((c) => c.fileId));
const labels = new Map<string, Label>();
for (const line of readFileSync(`${opts.dir}/labels.jsonl`, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const l = JSON.parse(line) as Label;
  if (ids.has(l.id)) labels.set(l.id, l);
}

const t0 = performance.now();
const ours = evaluateEngine(engine, calls, labels);
const ms = performance.now() - t0;
const base = evaluateBaseline(concept, calls, labels);

const f2 = (x: number | undefined) => (x === undefined ? '  –  ' : x.toFixed(3));
const rows: string[] = [];
rows.push(
  `Evaluation on ${calls.length} calls${opts.half ? ` (half ${opts.half})` : ''}, rules ${relative(process.cwd(), opts.rules!)}`,
);
rows.push('');
rows.push(
  `${'action field'.padEnd(24)} | ${'nDCG@10'.padStart(7)} ${'P@10'.padStart(6)} ${'MS@20'.padStart(6)} ${'viol'.padStart(4)} | ${'BM25 nDCG'.padStart(9)} ${'P@10'.padStart(6)} ${'MS@20'.padStart(6)}`,
);
rows.push('-'.repeat(rows[2]!.length));
ours.fields.forEach((f, i) => {
  const b = base.fields[i]!;
  rows.push(
    `${f.field.padEnd(24)} | ${f2(f.ndcg).padStart(7)} ${f2(f.p10).padStart(6)} ${f2(f.mustSee).padStart(6)} ${String(f.violations).padStart(4)} | ${f2(b.ndcg).padStart(9)} ${f2(b.p10).padStart(6)} ${f2(b.mustSee).padStart(6)}`,
  );
});
rows.push('-'.repeat(rows[2]!.length));
const viol = ours.fields.reduce((s, f) => s + f.violations, 0);
rows.push(
  `${'mean'.padEnd(24)} | ${f2(ours.mean.ndcg).padStart(7)} ${f2(ours.mean.p10).padStart(6)} ${f2(ours.mean.mustSee).padStart(6)} ${String(viol).padStart(4)} | ${f2(base.mean.ndcg).padStart(9)} ${f2(base.mean.p10).padStart(6)} ${f2(base.mean.mustSee).padStart(6)}`,
);
rows.push('');
const ratio = ours.mean.ndcg / base.mean.ndcg;
const check = (ok: boolean) => (ok ? 'ok  ' : 'FAIL');
rows.push(`${check(ours.mean.ndcg >= 0.8)} mean nDCG@10 ${ours.mean.ndcg.toFixed(3)} (target ≥ 0.80)`);
rows.push(`${check(ratio >= 1.25)} ${ratio.toFixed(2)}× the BM25 baseline (target ≥ 1.25×)`);
const missed = ours.fields.flatMap((f) => f.missing.map((id) => `${f.field}: ${id}`));
rows.push(`${check(missed.length === 0)} must-see calls outside their field's top 20: ${missed.length}`);
rows.push(`${check(viol === 0)} ineligible calls above an eligible call with a higher grade: ${viol}`);
rows.push(`ranking time ${ms.toFixed(0)} ms for ${calls.length} calls × ${engine.targets.length} targets`);
if (opts.verbose) for (const m of missed) rows.push(`  missed must-see ${m}`);
process.stdout.write(`${rows.join('\n')}\n`);

export type { EvalResult };
