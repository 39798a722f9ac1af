/** Condition trees compiled to closures (test for scoring, explain for explanations), and their process-wide ids. */
import type { CallFacts } from '../facts.ts';
import { type CompiledLeaf, compileLeaf, type LeafOutcome, type WildIndex } from '../operators.ts';
import type { Condition, Leaf } from '../rules-schema.ts';

/** A condition tree with each node's outcome; leaves carry the terms or values that decided them. */
export type ConditionOutcome =
  | { kind: 'all' | 'any' | 'not'; ok: boolean; children: ConditionOutcome[] }
  | ({ kind: 'leaf'; fact: string; operator: string; value: unknown } & LeafOutcome);

export interface CompiledCondition {
  test(f: CallFacts): boolean;
  explain(f: CallFacts): ConditionOutcome;
}

export function compileCondition(
  c: Condition,
  path: string,
  wild: WildIndex,
  resolve: (n: string) => string | string[] | undefined,
): CompiledCondition {
  if ('all' in c) {
    const kids = c.all.map((k, i) => compileCondition(k, `${path}.all.${i}`, wild, resolve));
    return {
      test: (f) => kids.every((k) => k.test(f)),
      explain(f) {
        const children = kids.map((k) => k.explain(f));
        return { kind: 'all', ok: children.every((x) => x.ok), children };
      },
    };
  }
  if ('any' in c) {
    const kids = c.any.map((k, i) => compileCondition(k, `${path}.any.${i}`, wild, resolve));
    return {
      test: (f) => kids.some((k) => k.test(f)),
      explain(f) {
        const children = kids.map((k) => k.explain(f));
        return { kind: 'any', ok: children.some((x) => x.ok), children };
      },
    };
  }
  if ('not' in c) {
    const kid = compileCondition(c.not, `${path}.not`, wild, resolve);
    return {
      test: (f) => !kid.test(f),
      explain(f) {
        const child = kid.explain(f);
        return { kind: 'not', ok: !child.ok, children: [child] };
      },
    };
  }
  const leaf: Leaf = c;
  const compiled: CompiledLeaf = compileLeaf(leaf, path, wild, resolve);
  return {
    test: compiled.test,
    explain: (f) => ({
      kind: 'leaf',
      fact: leaf.fact,
      operator: leaf.operator,
      value: leaf.value,
      ...compiled.explain(f),
    }),
  };
}

export const conditionIds = new Map<string, number>();
export function conditionId(key: string): number {
  let id = conditionIds.get(key);
  if (id === undefined) {
    id = conditionIds.size;
    conditionIds.set(key, id);
  }
  return id;
}
