/**
 * Ranking metrics of the evaluation (see eval/README.md): gain = grade, or 0 when the city
 * cannot apply; nDCG@10 with gain 2^grade − 1; P@10 = share of the top 10 with gain ≥ 2;
 * must-see recall@20 = share of the field's must-see calls (eligible, grade 3) in its top 20.
 */
export interface Label {
  id: string;
  kiel_eligible: 'yes' | 'no' | 'unclear';
  grades: Record<string, number>;
  measures: string[];
  must_see: boolean;
  note?: string;
}

export function gainOf(label: Label, field: string): number {
  return label.kiel_eligible === 'no' ? 0 : (label.grades[field] ?? 0);
}

const dcg = (gains: readonly number[], k: number) =>
  gains.slice(0, k).reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0);

/** nDCG@k of `ranking` (call ids, best first) against the ideal order of all labelled calls. */
export function ndcgAt(
  ranking: readonly string[],
  labels: ReadonlyMap<string, Label>,
  field: string,
  k = 10,
): number {
  const gains = ranking.map((id) => {
    const l = labels.get(id);
    return l ? gainOf(l, field) : 0;
  });
  const ideal = [...labels.values()].map((l) => gainOf(l, field)).sort((a, b) => b - a);
  const idcg = dcg(ideal, k);
  return idcg === 0 ? 1 : dcg(gains, k) / idcg;
}

export function precisionAt(
  ranking: readonly string[],
  labels: ReadonlyMap<string, Label>,
  field: string,
  k = 10,
): number {
  const top = ranking.slice(0, k);
  const hits = top.filter((id) => {
    const l = labels.get(id);
    return l !== undefined && gainOf(l, field) >= 2;
  }).length;
  return hits / k;
}

/** Must-see calls of a field: flagged, eligible (not "no") and core (grade 3). */
export function mustSee(labels: ReadonlyMap<string, Label>, field: string): string[] {
  return [...labels.values()]
    .filter((l) => l.must_see && l.kiel_eligible !== 'no' && (l.grades[field] ?? 0) >= 3)
    .map((l) => l.id);
}

/** Share of the field's must-see calls in the top k; undefined when the field has none. */
export function mustSeeRecallAt(
  ranking: readonly string[],
  labels: ReadonlyMap<string, Label>,
  field: string,
  k = 20,
): number | undefined {
  const wanted = mustSee(labels, field);
  if (wanted.length === 0) return undefined;
  const top = new Set(ranking.slice(0, k));
  return wanted.filter((id) => top.has(id)).length / wanted.length;
}

/** Pairs where a call the city cannot apply for ranks above an eligible call with a higher grade. */
export function eligibilityViolations(
  ranking: readonly string[],
  labels: ReadonlyMap<string, Label>,
  field: string,
): { above: string; below: string }[] {
  const out: { above: string; below: string }[] = [];
  const ineligible: Label[] = [];
  for (const id of ranking) {
    const l = labels.get(id);
    if (!l) continue;
    if (l.kiel_eligible === 'no') ineligible.push(l);
    else if (l.kiel_eligible === 'yes') {
      const g = l.grades[field] ?? 0;
      for (const bad of ineligible)
        if ((bad.grades[field] ?? 0) < g) out.push({ above: bad.id, below: l.id });
    }
  }
  return out;
}
