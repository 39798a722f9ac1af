import { readFileSync } from 'node:fs';
import { callFromLine, parseImportFile } from '../../src/calls/import-jsonl.ts';
import type { Call } from '../../src/domain/call.ts';
import { compileEngine } from '../../src/matching/engine.ts';
import { explain } from '../../src/matching/explain.ts';
import { callFacts } from '../../src/matching/facts.ts';
import { rankCalls } from '../../src/matching/rank.ts';
import { fromPackage } from '../../src/paths.ts';
import { concept } from './helpers.ts';

/** The real default rule set and engine, as the product runs them. */
export const engine = compileEngine(
  JSON.parse(readFileSync(fromPackage('rules', 'default-rules.json'), 'utf8')),
  concept,
);

export const now = new Date('2026-12-01T09:00:00Z');

/** A call as an import line gives it (applicant types derived from the published text). */
export function importCall(line: Record<string, unknown>): Call {
  return callFromLine({ source: 'import', deadlines: ['2027-03-31'], language: 'de', ...line }, now).call;
}

/** Eligibility and reasons of a call for one target. */
export function verdict(call: Call, target: string) {
  const f = callFacts(call, engine.city, { now });
  const s = engine.score(f);
  return explain(engine, f, s, engine.targetIndex.get(target)!.index);
}

/** The dev calls as a realistic field of competitors (none of the tested calls is among them). */
export const background = parseImportFile(
  readFileSync(fromPackage('eval', 'dev', 'calls.jsonl'), 'utf8'),
).calls.map((c) => c.call);

/** Position (1-based) of each call id in the ranking of an action field, deadlines ignored. */
export function positions(calls: readonly Call[], field: string): Map<string, number> {
  const r = rankCalls(engine, calls, { ignoreDeadlines: true });
  return new Map(r.actionFields[field]!.map((e, i) => [e.id, i + 1]));
}
