import MiniSearch from 'minisearch';
import type { ImportedCall } from '../calls/import-jsonl.ts';
import type { Concept } from '../concept/schema.ts';
import type { Engine } from '../matching/engine.ts';
import { rankCalls } from '../matching/rank.ts';
import { eligibilityViolations, type Label, mustSeeRecallAt, ndcgAt, precisionAt } from './metrics.ts';

export interface FieldResult {
  field: string;
  ndcg: number;
  p10: number;
  mustSee: number | undefined;
  violations: number;
  missing: string[];
}

export interface EvalResult {
  fields: FieldResult[];
  mean: { ndcg: number; p10: number; mustSee: number };
  /** Per action field: call ids, best first. */
  rankings: Map<string, string[]>;
}

function summarise(
  rankings: Map<string, string[]>,
  labels: ReadonlyMap<string, Label>,
  fields: readonly string[],
): EvalResult {
  const out: FieldResult[] = fields.map((field) => {
    const r = rankings.get(field) ?? [];
    const ms = mustSeeRecallAt(r, labels, field);
    const top20 = new Set(r.slice(0, 20));
    const missing = [...labels.values()]
      .filter(
        (l) => l.must_see && l.kiel_eligible !== 'no' && (l.grades[field] ?? 0) >= 3 && !top20.has(l.id),
      )
      .map((l) => l.id);
    return {
      field,
      ndcg: ndcgAt(r, labels, field),
      p10: precisionAt(r, labels, field),
      mustSee: ms,
      violations: eligibilityViolations(r, labels, field).length,
      missing,
    };
  });
  const mean = (xs: number[]) => (xs.length === 0 ? 1 : xs.reduce((a, b) => a + b, 0) / xs.length);
  return {
    fields: out,
    rankings,
    mean: {
      ndcg: mean(out.map((f) => f.ndcg)),
      p10: mean(out.map((f) => f.p10)),
      mustSee: mean(out.flatMap((f) => (f.mustSee === undefined ? [] : [f.mustSee]))),
    },
  };
}

/** The engine's ranking (deadlines ignored: most dev calls are past). */
export function evaluateEngine(
  engine: Engine,
  calls: readonly ImportedCall[],
  labels: ReadonlyMap<string, Label>,
) {
  const byCallId = new Map(calls.map((c) => [c.call.id, c.fileId]));
  const ranking = rankCalls(
    engine,
    calls.map((c) => c.call),
    { ignoreDeadlines: true, idOf: (c) => byCallId.get(c.id)! },
  );
  const fields = Object.keys(ranking.actionFields);
  const rankings = new Map(fields.map((f) => [f, ranking.actionFields[f]!.map((e) => e.id)]));
  return summarise(rankings, labels, fields);
}

/** Plain BM25 (minisearch defaults, no rules, no stemming): each field's concept text as the query. */
export function evaluateBaseline(
  concept: Concept,
  calls: readonly ImportedCall[],
  labels: ReadonlyMap<string, Label>,
) {
  const ms = new MiniSearch<{ id: string; title: string; summary: string; programme: string }>({
    fields: ['title', 'summary', 'programme'],
  });
  ms.addAll(
    calls.map((c) => ({
      id: c.fileId,
      title: c.call.title,
      summary: c.call.summary,
      programme: c.call.programme ?? '',
    })),
  );
  const rankings = new Map<string, string[]>();
  for (const f of concept.actionFields) {
    const query = [f.name, f.description, ...f.measures.map((m) => m.text)].join(' ');
    const hits = ms.search(query, { combineWith: 'OR' }).map((h) => String(h.id));
    const seen = new Set(hits);
    rankings.set(f.key, [...hits, ...calls.map((c) => c.fileId).filter((id) => !seen.has(id))]);
  }
  return summarise(
    rankings,
    labels,
    concept.actionFields.map((f) => f.key),
  );
}
