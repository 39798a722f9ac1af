/** Text operators: `containsAny`, `containsAll`, `phrase` (memoised terms) and `near` (term positions). */
import { type CallFacts, type TextFact, textFacts } from '../facts.ts';
import type { Leaf } from '../rules-schema.ts';
import { type CompiledLeaf, invalid } from './leaf.ts';
import { termPositions, type WildIndex } from './term-index.ts';

export function compileTermsLeaf(
  leaf: Leaf,
  path: string,
  op: 'containsAny' | 'containsAll' | 'phrase',
  value: unknown,
  isText: boolean,
  wild: WildIndex,
): CompiledLeaf {
  if (!isText) throw invalid(`${path}.operator`, `"${op}" needs a text fact (${textFacts.join(', ')})`);
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : null;
  if (!list || list.length === 0 || list.some((t) => typeof t !== 'string')) {
    throw invalid(`${path}.value`, `"${op}" needs a list of terms`);
  }
  const interned = (list as string[]).map((t) => wild.intern(t));
  if (interned.some((t) => t.term.parts.length === 0)) {
    throw invalid(`${path}.value`, 'a term has no letters or digits');
  }
  const ids = Int32Array.from(interned, (t) => t.id);
  const fact = leaf.fact as TextFact;
  const all = op === 'containsAll';
  const need = all ? ids.length : Math.min(leaf.min ?? 1, ids.length);
  return {
    // The hot loop of matching: one memo read per term (phrases resolved once per doc).
    test(f) {
      const doc = f.docs[fact];
      const hits = wild.hits(doc);
      let n = 0;
      for (let k = 0; k < ids.length; k++) {
        const id = ids[k]!;
        const v = hits[id];
        if (v === 1 || (v === 0 && wild.resolve(doc, hits, id))) {
          if (++n >= need) return true;
        } else if (all) return false;
      }
      return false;
    },
    explain(f) {
      const doc = f.docs[fact];
      const found = interned.filter((t) => wild.has(doc, t.id)).map((t) => t.term.text);
      return { ok: found.length >= need, evidence: found };
    },
  };
}

export function compileNearLeaf(
  leaf: Leaf,
  path: string,
  value: unknown,
  isText: boolean,
  wild: WildIndex,
): CompiledLeaf {
  if (!isText) throw invalid(`${path}.operator`, `"near" needs a text fact (${textFacts.join(', ')})`);
  const v = value as { a?: unknown; b?: unknown; within?: number };
  if (!v || typeof v !== 'object' || !Array.isArray(v.a) || !Array.isArray(v.b)) {
    throw invalid(`${path}.value`, '"near" needs { a: [terms], b: [terms], within: n }');
  }
  const a = (v.a as string[]).map((t) => wild.compile(t));
  const b = (v.b as string[]).map((t) => wild.compile(t));
  const within = v.within ?? 8;
  const fact = leaf.fact as TextFact;
  const run = (f: CallFacts): string[] | null => {
    const doc = f.docs[fact];
    for (const ta of a) {
      const pa = termPositions(ta, doc);
      if (pa.length === 0) continue;
      for (const tb of b) {
        const pb = termPositions(tb, doc);
        if (pb.some((q) => pa.some((p) => Math.abs(p - q) <= within))) return [ta.text, tb.text];
      }
    }
    return null;
  };
  return {
    test: (f) => run(f) !== null,
    explain(f) {
      const hit = run(f);
      return { ok: hit !== null, evidence: hit ?? [] };
    },
  };
}
