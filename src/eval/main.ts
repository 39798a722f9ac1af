import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { parseImportFile } from '../calls/import-jsonl.ts';
import { loadConceptFile } from '../concept/load.ts';
import { compileEngine } from '../matching/engine.ts';
import { fromPackage } from '../paths.ts';
import { crossValidate } from './cv.ts';
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
rows.push(`${check(ours.mean.ndcg >= 0.85)} mean nDCG@10 ${ours.mean.ndcg.toFixed(3)} (target ≥ 0.85)`);
rows.push(`${check(ratio >= 1.25)} ${ratio.toFixed(2)}× the BM25 baseline (target ≥ 1.25×)`);
const missed = ours.fields.flatMap((f) => f.missing.map((id) => `${f.field}: ${id}`));
rows.push(`${check(missed.length === 0)} must-see calls outside their field's top 20: ${missed.length}`);
rows.push(`${check(viol === 0)} ineligible calls above an eligible call with a higher grade: ${viol}`);
rows.push(`ranking time ${ms.toFixed(0)} ms for ${calls.length} calls × ${engine.targets.length} targets`);
if (opts.verbose) for (const m of missed) rows.push(`  missed must-see ${m}`);

// Leave-programme-family-out: the rules are fixed, so a fold is the family's calls ranked alone.
const cv = crossValidate(engine, calls, labels, ours.rankings);
rows.push('');
rows.push('Leave-programme-family-out cross-validation (each family ranked alone; rules fixed)');
rows.push('');
const head = `${'family'.padEnd(20)} | ${'calls'.padStart(5)} ${'fields'.padStart(6)} ${'nDCG@10'.padStart(7)} ${'MS@20'.padStart(6)} | rules naming it`;
rows.push(head);
rows.push('-'.repeat(head.length + 12));
for (const f of cv.folds) {
  const named =
    f.namedBy.length === 0
      ? '— (none)'
      : `${f.namedBy.length}: ${f.namedBy.slice(0, 3).join(', ')}${f.namedBy.length > 3 ? ', …' : ''}`;
  rows.push(
    `${f.family.padEnd(20)} | ${String(f.calls).padStart(5)} ${String(f.fields).padStart(6)} ${f2(f.ndcg).padStart(7)} ${f2(f.mustSee).padStart(6)} | ${named}`,
  );
}
rows.push('-'.repeat(head.length + 12));
rows.push(
  `${'mean over folds'.padEnd(20)} | ${''.padStart(5)} ${''.padStart(6)} ${f2(cv.meanNdcg).padStart(7)} ${f2(cv.meanMustSee).padStart(6)} |`,
);
rows.push(
  `${'folds no rule names'.padEnd(20)} | ${''.padStart(5)} ${''.padStart(6)} ${f2(cv.meanNdcgUnnamed).padStart(7)} ${''.padStart(6)} |`,
);
rows.push(
  `${'overall (all calls)'.padEnd(20)} | ${String(calls.length).padStart(5)} ${''.padStart(6)} ${f2(ours.mean.ndcg).padStart(7)} ${f2(ours.mean.mustSee).padStart(6)} |`,
);
rows.push('');
rows.push(
  `${check(cv.meanNdcg >= 0.8)} cross-validated mean nDCG@10 ${cv.meanNdcg.toFixed(3)} (target ≥ 0.80)`,
);
rows.push('');
rows.push(
  `Single-support rules (add rules that fire on only one labelled-relevant dev call): ${cv.singleSupport.length}`,
);
for (const s of cv.singleSupport) rows.push(`  ${s.rule.padEnd(40)} ${s.call}`);
rows.push(
  `Add rules without any support in the dev set: ${cv.noSupport.length}${cv.noSupport.length > 0 ? ` (${cv.noSupport.join(', ')})` : ''}`,
);
process.stdout.write(`${rows.join('\n')}\n`);

export type { EvalResult };
