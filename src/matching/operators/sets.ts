/** Value operators on sets and globs: `in`, `equals`, `globMatch`. */
import picomatch from 'picomatch';
import type { CallFacts, FactValue } from '../facts.ts';
import type { Leaf } from '../rules-schema.ts';
import { asList, type CompiledLeaf, invalid } from './leaf.ts';

export function compileSetLeaf(leaf: Leaf, path: string, op: 'in' | 'equals', value: unknown): CompiledLeaf {
  const wanted = new Set(asList(value as FactValue).map((s) => s.toLowerCase()));
  if (wanted.size === 0) throw invalid(`${path}.value`, `"${op}" needs a value or a list of values`);
  const fact = leaf.fact;
  const hit = (x: string) => wanted.has(x) || wanted.has(x.toLowerCase());
  const run = (f: CallFacts): string[] => {
    const actual = asList(f.values[fact]);
    if (op === 'equals') return actual.length === 1 && hit(actual[0]!) ? actual : [];
    return actual.filter(hit);
  };
  return {
    test(f) {
      const v = f.values[fact];
      if (v === undefined) return false;
      if (typeof v === 'string') return hit(v);
      if (typeof v === 'number') return hit(String(v));
      if (op === 'equals') return v.length === 1 && hit(v[0]!);
      for (const x of v) if (hit(x)) return true;
      return false;
    },
    explain(f) {
      const found = run(f);
      return { ok: found.length > 0, evidence: found.length > 0 ? found : asList(f.values[fact]) };
    },
  };
}

// globMatch: globs only (`*`, `?`, character classes), never regular expressions.
export function compileGlobLeaf(leaf: Leaf, path: string, value: unknown): CompiledLeaf {
  const globs = asList(value as FactValue);
  if (globs.length === 0) throw invalid(`${path}.value`, '"globMatch" needs one or more globs');
  const matchers = globs.map((g) =>
    picomatch(g, { nocase: true, nobrace: true, noextglob: true, dot: true, bash: true }),
  );
  const fact = leaf.fact;
  const run = (f: CallFacts) => asList(f.values[fact]).filter((x) => matchers.some((m) => m(x)));
  return {
    test: (f) => run(f).length > 0,
    explain(f) {
      const hit = run(f);
      return { ok: hit.length > 0, evidence: hit.length > 0 ? hit : asList(f.values[fact]) };
    },
  };
}
