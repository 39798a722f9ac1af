import MiniSearch from 'minisearch';
import type { Concept } from '../concept/schema.ts';
import type { CityProfile } from './facts.ts';
import type { RuleSet } from './rules-schema.ts';
import { stopwords, tokenize } from './text.ts';
import { stems } from './vocab.ts';

/** An action field or a measure: what calls are ranked for. */
export interface MatchTarget {
  id: string;
  kind: 'action-field' | 'measure';
  /** The action field (itself for a field). */
  fieldKey: string;
  name: string;
  /** Short name in reasons: the field's name, or "<field> <number>" for a measure ("Ostseeraum 1"). */
  label: string;
  index: number;
}

export function conceptTargets(concept: Concept): MatchTarget[] {
  const out: MatchTarget[] = [];
  for (const f of concept.actionFields) {
    out.push({
      id: f.key,
      kind: 'action-field',
      fieldKey: f.key,
      name: f.name,
      label: f.name,
      index: out.length,
    });
  }
  for (const f of concept.actionFields) {
    for (const m of f.measures) {
      out.push({
        id: m.id,
        kind: 'measure',
        fieldKey: f.key,
        name: m.text,
        label: `${f.name} ${m.number}`,
        index: out.length,
      });
    }
  }
  return out;
}

/** The concept text of a target plus the rule set's vocabulary for it (German and English). */
export function profileText(
  concept: Concept,
  ruleSet: RuleSet,
  city: CityProfile,
  target: MatchTarget,
): string {
  const field = concept.actionFields.find((f) => f.key === target.fieldKey)!;
  const vocab = (id: string) => {
    const v = ruleSet.vocabulary[id];
    return v ? [...v.de, ...v.en].map((t) => t.replace(/\*/g, '')).join('. ') : '';
  };
  if (target.kind === 'measure') {
    const m = field.measures.find((x) => x.id === target.id)!;
    return [m.text, vocab(m.id)].join('\n');
  }
  const extra: string[] = [];
  // Partner and friend city names count as terms of their action fields.
  if (field.key === 'staedtepartnerschaften') extra.push(...city.partnerCities, ...city.partnerCountryNames);
  if (field.key === 'befreundete-staedte') extra.push(...city.friendCities);
  if (field.key === 'staedtenetzwerke') extra.push(...city.networks);
  return [
    field.name,
    field.description,
    field.goalReference,
    ...field.measures.map((m) => m.text),
    vocab(field.key),
    extra.join('. '),
  ].join('\n');
}

/** Stems of a text without function words, in order (with repeats, for term frequencies). */
export function profileStems(text: string): string[] {
  const out: string[] = [];
  for (const token of tokenize(text)) {
    if (stopwords.has(token) || token.length < 2) continue;
    for (const st of stems(token)) out.push(st);
  }
  return out;
}

/**
 * BM25 weights of every profile stem for every target, computed by minisearch: the profiles
 * are the indexed documents, and each stem is queried once. A call's text relevance for a
 * target is then the sum of the weights of its distinct stems, which is what minisearch
 * returns for an OR query of those stems (without its extra coordination factor), at the
 * cost of one map lookup per stem. The weights depend only on the concept and the rule set,
 * never on the other calls, so an incremental re-match gives the same result as a full one.
 */
export function bm25Table(profiles: { index: number; stems: string[] }[]): Map<string, [number, number][]> {
  const ms = new MiniSearch<{ id: number; text: string }>({
    fields: ['text'],
    tokenize: (t) => t.split(' '),
    processTerm: (t) => t || null,
    searchOptions: { tokenize: (t) => [t], processTerm: (t) => t, prefix: false, fuzzy: false },
  });
  const vocab = new Set<string>();
  ms.addAll(
    profiles.map((p) => {
      for (const s of p.stems) vocab.add(s);
      return { id: p.index, text: p.stems.join(' ') };
    }),
  );
  const table = new Map<string, [number, number][]>();
  for (const stem of vocab) {
    table.set(
      stem,
      ms.search(stem).map((r) => [r.id as number, r.score]),
    );
  }
  return table;
}
