import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseImportFile } from '../src/calls/import-jsonl.ts';
import { upsertCall } from '../src/calls/store.ts';
import { testConfig } from '../src/config.ts';
import { createContext, createLogger } from '../src/context.ts';
import type { Call } from '../src/domain/call.ts';
import { compileEngine } from '../src/matching/engine.ts';
import { analyzeCall, callFacts } from '../src/matching/facts.ts';
import type { RuleSet } from '../src/matching/rules-schema.ts';
import { getActiveRuleSet, type MatchRunResult, matchCalls, saveRuleSet } from '../src/matching/service.ts';
import { fromPackage } from '../src/paths.ts';
import type { BenchResult } from './result.ts';
import type { Topic } from './topic.ts';

/** A deterministic pseudo-random generator, so every run builds the same corpus. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** 20,000 calls: the 1,000 portal topics and the dev calls, each copy with 40 words of another mixed in. */
export function buildCorpus(n: number): Call[] {
  const topics = (
    JSON.parse(readFileSync(fromPackage('bench', 'data', 'eu-topics-1000.json'), 'utf8')) as {
      grants: Topic[];
    }
  ).grants;
  const base: Call[] = topics.map((t) => ({
    id: `eu-ft:${t.id}`,
    source: 'eu-ft',
    sourceId: t.id,
    programme: [t.framework_programme, t.programme_division].filter(Boolean).join(' – ') || undefined,
    identifier: t.id,
    title: t.title,
    summary: t.description ?? t.search_text,
    description: '',
    language: 'en',
    deadlines: t.deadline_at
      ? [
          {
            at: new Date(t.deadline_at).toISOString(),
            timeZone: 'Europe/Brussels',
            raw: t.deadline_at,
            stage: 'single',
          },
        ]
      : [],
    status: 'open',
    applicantTypes: [],
    countries: [],
    nuts: [],
    keywords: t.keywords,
    notices: [],
    budget: t.budget_amount_eur ? { currency: 'EUR', total: t.budget_amount_eur } : undefined,
    provenance: { fetchedAt: '2026-01-01T00:00:00.000Z', sourceUrl: 'bench', contentHash: 'bench-hash' },
  }));
  const dev = parseImportFile(readFileSync(fromPackage('eval', 'dev', 'calls.jsonl'), 'utf8')).calls.map(
    (c) => c.call,
  );
  const pool = [...base, ...dev];
  const words = pool.map((c) => `${c.title} ${c.summary}`.split(/\s+/));
  const rand = rng(42);
  const out: Call[] = [];
  for (let i = 0; i < n; i++) {
    const src = pool[i % pool.length]!;
    const other = words[Math.floor(rand() * words.length)]!;
    const start = Math.floor(rand() * Math.max(1, other.length - 40));
    const mix = other.slice(start, start + 40).join(' ');
    out.push({
      ...src,
      id: `${src.id}-${i}`,
      sourceId: `${src.sourceId}-${i}`,
      summary: `${src.summary} ${mix}`,
    });
  }
  return out;
}

export function runMatchingBench(dir: string): BenchResult[] {
  const config = testConfig({ DATABASE_PATH: join(dir, 'bench.db') });
  const ctx = createContext(config, createLogger(config));
  try {
    const corpus = buildCorpus(20_000);
    // CPU time beside wall time: on a shared machine the ratio of CPU times is the steadier figure.
    const cpuMs = (from: NodeJS.CpuUsage) => {
      const u = process.cpuUsage(from);
      return `CPU ${((u.user + u.system) / 1000).toFixed(0)} ms`;
    };
    let cpu = process.cpuUsage();
    const t0 = performance.now();
    ctx.dbh.db.transaction((tx) => {
      for (const c of corpus) upsertCall(tx, c);
    });
    const setup = performance.now() - t0;
    const results: BenchResult[] = [
      { name: 'import 20,000 calls (upsertCall, one transaction)', ms: setup, detail: cpuMs(cpu) },
    ];
    getActiveRuleSet(ctx);

    // Cold: tokenising every call and writing every row is part of this run (first match ever).
    // BENCH_WORKER=0 keeps the tokenising on the main thread (for before/after comparisons).
    cpu = process.cpuUsage();
    let t = performance.now();
    const cold = matchCalls(ctx, process.env.BENCH_WORKER === '0' ? { worker: false } : {});
    const coldMs = performance.now() - t;
    const coldCpu = cpuMs(cpu);
    const perSecond = (ms: number) => `${Math.round(cold.calls / (ms / 1000))} calls/s`;
    const phases = (r: MatchRunResult) =>
      `read ${r.ms.read} ms, score ${r.ms.score} ms, write ${r.ms.write} ms; ${r.changedCalls} calls changed, ${r.writtenRows} rows written`;
    results.push({
      name: 'full re-match, cold (tokenise + score + write all)',
      ms: coldMs,
      detail: `${cold.calls} calls × 72 targets, ${cold.rows} rows, ${perSecond(coldMs)}, ${coldCpu} (both threads); ${cold.workerCalls} calls tokenised on a worker thread; ${phases(cold)}`,
    });

    // The daily re-match: same rules, every call scored again, nothing to write.
    t = performance.now();
    const same = matchCalls(ctx);
    const sameMs = performance.now() - t;
    results.push({
      name: 'full re-match, rules unchanged (daily)',
      ms: sameMs,
      detail: `${perSecond(sameMs)}; ${phases(same)}`,
    });

    // A rule change: the new version is validated, compiled and saved, every call is scored
    // with it, and the rows that changed are written.
    let rules = getActiveRuleSet(ctx).rules;
    const change = (name: string, what: string, edit: (r: RuleSet) => void, target?: number) => {
      rules = structuredClone(rules);
      edit(rules);
      const t0 = performance.now();
      const saved = saveRuleSet(ctx, { rules, author: 'bench', comment: name });
      const ms = performance.now() - t0;
      results.push({
        name,
        ms,
        target,
        detail: `${what}; ${perSecond(ms)}; ${phases({ ...cold, ...saved.rematch })}`,
      });
    };
    // Typical: one rule's points edited.
    const rule = rules.rules.find((r) => r.effect.type === 'add' && r.target === 'staedtenetzwerke')!;
    change(
      'full re-match after a rule change (one rule)',
      `rule "${rule.id}" +5 points`,
      (r) => {
        const e = r.rules.find((x) => x.id === rule.id)!.effect;
        if (e.type === 'add') e.points += 5;
      },
      2000,
    );
    // Worst case: a change that alters the explanation of most calls (an eligibility reason text).
    const elig = rules.rules.find((r) => r.effect.type === 'unclear' && r.target === 'all')!;
    change('full re-match after a change touching most rows', `reason of "${elig.id}" reworded`, (r) => {
      const e = r.rules.find((x) => x.id === elig.id)!.effect;
      if (e.type === 'unclear') e.reason += ' (neu formuliert)';
    });

    // Incremental: 100 calls changed by a crawl, as crawls change them: half got a later
    // deadline, half an edited text (40 words of another call's text added). Five rounds with
    // other calls each; the median counts (one round can meet a garbage collection).
    const day = 86_400_000;
    const rounds: { ms: number; r: MatchRunResult }[] = [];
    for (let round = 0; round < 5; round++) {
      const changed = corpus.slice(round * 100, round * 100 + 100).map((c, i) =>
        i % 2 === 0
          ? {
              ...c,
              deadlines: c.deadlines.map((d) => ({
                ...d,
                at: new Date(Date.parse(d.at) + 14 * day).toISOString(),
              })),
            }
          : {
              ...c,
              summary: `${c.summary} ${corpus[(i * 7919 + round) % corpus.length]!.summary.split(/\s+/).slice(0, 40).join(' ')}`,
            },
      );
      ctx.dbh.db.transaction((tx) => {
        for (const c of changed) upsertCall(tx, c);
      });
      t = performance.now();
      const r = matchCalls(ctx, { callIds: changed.map((c) => c.id) });
      rounds.push({ ms: performance.now() - t, r });
    }
    const sorted = [...rounds].sort((x, y) => x.ms - y.ms);
    const median = sorted[2]!;
    results.push({
      name: 'incremental re-match of 100 changed calls',
      ms: median.ms,
      target: 100,
      detail: `median of 5 rounds (${sorted.map((x) => Math.round(x.ms)).join(', ')} ms); median round: ${median.r.rows} rows; ${phases(median.r)}`,
    });
    // Scoring alone (no database), a freshly compiled engine: the matcher's floor.
    const engine = compileEngine(rules, ctx.concept.concept);
    const docs = corpus.map((c) => analyzeCall(c));
    const cpu0 = process.cpuUsage();
    t = performance.now();
    for (let i = 0; i < corpus.length; i++) engine.score(callFacts(corpus[i]!, engine.city, {}, docs[i]!));
    const scoreMs = performance.now() - t;
    results.push({
      name: 'scoring only, 20,000 calls × 72 targets (no DB)',
      ms: scoreMs,
      detail: `${Math.round(corpus.length / (scoreMs / 1000))} calls/s, ${cpuMs(cpu0)}`,
    });
    return results;
  } finally {
    ctx.dbh.close();
  }
}
