/** Number operators: `gt`, `gte`, `lt`, `lte` on a numeric fact. */
import type { CallFacts } from '../facts.ts';
import type { Leaf } from '../rules-schema.ts';
import { asList, type CompiledLeaf, invalid } from './leaf.ts';

export function compileNumberLeaf(
  leaf: Leaf,
  path: string,
  op: 'gt' | 'gte' | 'lt' | 'lte',
  value: unknown,
): CompiledLeaf {
  if (typeof value !== 'number') throw invalid(`${path}.value`, `"${op}" needs a number`);
  const n = value;
  const fact = leaf.fact;
  const cmp = (x: number) => (op === 'gt' ? x > n : op === 'gte' ? x >= n : op === 'lt' ? x < n : x <= n);
  const run = (f: CallFacts) => {
    const x = f.values[fact];
    return typeof x === 'number' && cmp(x);
  };
  return {
    test: run,
    explain: (f) => ({ ok: run(f), evidence: asList(f.values[fact]) }),
  };
}
