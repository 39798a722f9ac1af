import { textFacts, valueFacts } from './facts.ts';
import { type CompiledLeaf, invalid, type ResolveCityFact } from './operators/leaf.ts';
import { compileNumberLeaf } from './operators/numbers.ts';
import { compileGlobLeaf, compileSetLeaf } from './operators/sets.ts';
import type { WildIndex } from './operators/term-index.ts';
import { compileNearLeaf, compileTermsLeaf } from './operators/text.ts';
import type { Leaf } from './rules-schema.ts';

/**
 * Operators compile once per rule set into closures. Term operators look up stems in the
 * call's position map (no substring scans); `*` in a term matches inside a word (German
 * compounds: `*partnerschaft*`) through a per-token cache, so each distinct word is checked
 * against the wildcard terms only once per rule set.
 *
 * One file per family under `operators/`: text (`text.ts`, on the term index in `term-index.ts`),
 * numbers (`numbers.ts`), sets and globs (`sets.ts`); `compileLeaf` picks the family.
 */
export type { CompiledLeaf, LeafOutcome, ResolveCityFact } from './operators/leaf.ts';
export { globMatcher, type Term } from './operators/term.ts';
export { termMatches, termPositions, WildIndex } from './operators/term-index.ts';

export function compileLeaf(
  leaf: Leaf,
  path: string,
  wild: WildIndex,
  resolve: ResolveCityFact,
): CompiledLeaf {
  let value = leaf.value as unknown;
  if (value && typeof value === 'object' && !Array.isArray(value) && 'fact' in value) {
    const name = (value as { fact: string }).fact;
    const resolved = resolve(name);
    if (resolved === undefined) throw invalid(`${path}.value.fact`, `unknown city fact "${name}"`);
    value = resolved;
  }
  const op = leaf.operator;
  const isText = (textFacts as readonly string[]).includes(leaf.fact);
  const isValue = (valueFacts as readonly string[]).includes(leaf.fact);
  if (!isText && !isValue) throw invalid(`${path}.fact`, `unknown fact "${leaf.fact}"`);

  if (op === 'containsAny' || op === 'containsAll' || op === 'phrase')
    return compileTermsLeaf(leaf, path, op, value, isText, wild);
  if (op === 'near') return compileNearLeaf(leaf, path, value, isText, wild);
  if (op === 'in' || op === 'equals') return compileSetLeaf(leaf, path, op, value);
  if (op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte')
    return compileNumberLeaf(leaf, path, op, value);
  // globMatch: globs only (`*`, `?`, character classes), never regular expressions.
  return compileGlobLeaf(leaf, path, value);
}
