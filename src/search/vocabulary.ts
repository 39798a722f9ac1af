import { existsSync, readFileSync } from 'node:fs';
import { analyze } from './text.ts';

/**
 * Bilingual vocabulary for search: groups of German and English words that mean the same in
 * funding language. A query word found in a group also searches the group's other words, so
 * "Städtepartnerschaft" finds an English "town twinning" call.
 *
 * A rule set may carry synonym groups as an array under `vocabulary`; those are used then. The
 * default rule set's `vocabulary` is a per-action-field profile instead (field key → German and
 * English terms, partner countries included): expanding a query word into a whole field's
 * profile would flood the results, so search keeps this built-in list for that shape.
 */
export type VocabularyGroup = readonly string[];

export const builtinVocabulary: readonly VocabularyGroup[] = [
  [
    'Städtepartnerschaft',
    'Partnerstadt',
    'Partnerstädte',
    'town twinning',
    'twinning',
    'twin town',
    'sister city',
  ],
  [
    'Kommune',
    'Gemeinde',
    'Stadt',
    'Städte',
    'municipality',
    'municipalities',
    'local authority',
    'city',
    'town',
  ],
  ['Jugend', 'Jugendliche', 'junge Menschen', 'youth', 'young people'],
  ['Bürger', 'Bürgerinnen', 'Zivilgesellschaft', 'citizens', 'civil society'],
  ['Beteiligung', 'Bürgerbeteiligung', 'participation', 'engagement'],
  ['Klimaschutz', 'Klima', 'climate', 'climate change', 'climate neutrality'],
  ['Anpassung', 'Klimaanpassung', 'adaptation', 'resilience'],
  ['Energie', 'Energiewende', 'energy', 'energy transition'],
  ['Mobilität', 'Verkehr', 'mobility', 'transport'],
  ['Hafen', 'Häfen', 'port', 'ports', 'harbour'],
  ['Meer', 'maritim', 'Ostsee', 'sea', 'maritime', 'marine', 'Baltic Sea', 'ocean'],
  ['Kultur', 'Kunst', 'culture', 'cultural', 'arts', 'creative'],
  ['Bildung', 'Schule', 'Austausch', 'education', 'school', 'exchange', 'learning'],
  ['Wissenschaft', 'Forschung', 'Hochschule', 'science', 'research', 'university'],
  ['Wirtschaft', 'Unternehmen', 'Mittelstand', 'economy', 'business', 'SME', 'enterprises'],
  ['Fachkräfte', 'Arbeitsmarkt', 'skilled workers', 'talent', 'labour market', 'skills'],
  ['Migration', 'Integration', 'Zuwanderung', 'Geflüchtete', 'migrants', 'refugees', 'inclusion'],
  ['Demokratie', 'Rechtsstaat', 'democracy', 'rule of law', 'democratic'],
  ['Erinnerung', 'Gedenken', 'remembrance', 'memory', 'history'],
  ['Nachhaltigkeit', 'nachhaltig', 'sustainability', 'sustainable', 'SDG'],
  [
    'Entwicklungszusammenarbeit',
    'kommunale Entwicklungspolitik',
    'development cooperation',
    'international partnerships',
  ],
  ['Netzwerk', 'Netzwerke', 'network', 'networks', 'networking'],
  ['Gesundheit', 'health', 'wellbeing'],
  ['Digitalisierung', 'digital', 'digitalisation', 'smart city'],
  ['Tourismus', 'tourism', 'visitors'],
  ['Sport', 'sport', 'sports'],
  ['Frieden', 'peace', 'reconciliation'],
  ['grenzüberschreitend', 'transnational', 'cross-border', 'interregional', 'Interreg'],
];

/** Extracts term groups from whatever shape the rule set's `vocabulary` has (array of groups or objects, or a record). */
export function groupsFromUnknown(value: unknown): VocabularyGroup[] {
  const strings = (v: unknown): string[] =>
    typeof v === 'string'
      ? [v]
      : Array.isArray(v)
        ? v.flatMap(strings)
        : v && typeof v === 'object'
          ? Object.values(v).flatMap(strings)
          : [];
  if (Array.isArray(value)) return value.map(strings).filter((g) => g.length > 1);
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => [k, ...strings(v)])
      .filter((g) => g.length > 1);
  }
  return [];
}

/** The rule file's synonym groups when it has them (an array), else the built-in list. */
export function loadVocabulary(rulesFile: string): VocabularyGroup[] {
  if (existsSync(rulesFile)) {
    try {
      const parsed = JSON.parse(readFileSync(rulesFile, 'utf8')) as { vocabulary?: unknown };
      if (Array.isArray(parsed.vocabulary)) {
        const groups = groupsFromUnknown(parsed.vocabulary);
        if (groups.length > 0) return groups;
      }
    } catch {
      // An unreadable rule file is the matcher's error to report; search falls back quietly.
    }
  }
  return [...builtinVocabulary];
}

/**
 * Term-level lookup: maps each index term of a group's words to the terms of the whole
 * group. Built once per vocabulary.
 */
export class TermExpander {
  private readonly byTerm = new Map<string, Set<string>>();

  constructor(groups: readonly VocabularyGroup[]) {
    for (const group of groups) {
      const phrases = group.map((w) => analyze(w));
      const all = new Set(phrases.flat());
      // Only a group's single-word entries trigger it, so that a generic word inside a phrase
      // ("city" in "smart city") does not pull in the whole group.
      for (const [i, terms] of phrases.entries()) {
        if (/\s/.test(group[i]!.trim())) continue;
        for (const k of terms) {
          const set = this.byTerm.get(k) ?? new Set<string>();
          for (const t of all) set.add(t);
          this.byTerm.set(k, set);
        }
      }
    }
  }

  /** The other terms of every group a term belongs to (without the term itself). */
  expand(term: string): string[] {
    const set = this.byTerm.get(term);
    return set ? [...set].filter((t) => t !== term) : [];
  }
}
