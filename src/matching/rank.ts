import type { Concept } from '../concept/schema.ts';
import type { Eligibility } from '../domain/enums.ts';
import { compareRanked, type Engine } from './engine.ts';
import { explain } from './explain.ts';
import { callFacts, type FactOptions, type MatchableCall } from './facts.ts';

export interface RankedEntry {
  id: string;
  score: number;
  eligibility: Eligibility;
  excluded?: true;
  reasons: string[];
}

export interface Ranking {
  actionFields: Record<string, RankedEntry[]>;
  measures: Record<string, RankedEntry[]>;
}

/**
 * Ranks calls for every target without a database: used by `foerdermatch rank` and the
 * evaluation. `idOf` maps a call to the id printed (e.g. the id in an import file).
 */
export function rankCalls(
  engine: Engine,
  calls: readonly MatchableCall[],
  options: FactOptions & { top?: number; idOf?: (c: MatchableCall) => string; concept?: Concept } = {},
): Ranking {
  const idOf = options.idOf ?? ((c: MatchableCall) => c.id);
  const per = engine.targets.map(() => [] as RankedEntry[]);
  for (const call of calls) {
    const facts = callFacts(call, engine.city, options);
    const scores = engine.score(facts);
    const cache = new Map();
    for (const t of engine.targets) {
      const ex = explain(engine, facts, scores, t.index, { evidenceCache: cache });
      const entry: RankedEntry = {
        id: idOf(call),
        score: ex.score,
        eligibility: ex.eligibility,
        reasons: [ex.reason, ex.reasonEn],
      };
      if (ex.eligibility === 'excluded') entry.excluded = true;
      per[t.index]!.push(entry);
    }
  }
  const cmp = compareRanked();
  const out: Ranking = { actionFields: {}, measures: {} };
  for (const t of engine.targets) {
    const list = per[t.index]!.sort(cmp);
    const cut = options.top ? list.slice(0, options.top) : list;
    (t.kind === 'action-field' ? out.actionFields : out.measures)[t.id] = cut;
  }
  return out;
}
