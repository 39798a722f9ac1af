import picomatch from 'picomatch';
import { AppError } from '../errors.ts';
import { type CallFacts, type FactValue, type TextFact, textFacts, valueFacts } from './facts.ts';
import type { Leaf } from './rules-schema.ts';
import { fold, stems, type TextDoc, tokenize } from './text.ts';

/**
 * Operators compile once per rule set into closures. Term operators look up stems in the
 * call's position map (no substring scans); `*` in a term matches inside a word (German
 * compounds: `*partnerschaft*`) through a per-token cache, so each distinct word is checked
 * against the wildcard terms only once per rule set.
 */

type Part = { stems: readonly string[] } | { wild: number };
export interface Term {
  text: string;
  parts: Part[];
}

/** Wildcard patterns of one rule set and the cache token → ids of the patterns it matches. */
export class WildIndex {
  private readonly matchers: ((s: string) => boolean)[] = [];
  private readonly ids = new Map<string, number>();
  private readonly cache = new Map<string, readonly number[]>();
  private readonly perDoc = new WeakMap<TextDoc, Map<number, number[]>>();

  add(pattern: string): number {
    let id = this.ids.get(pattern);
    if (id === undefined) {
      id = this.matchers.length;
      this.ids.set(pattern, id);
      this.matchers.push(picomatch(pattern, { nobrace: true, noextglob: true, nonegate: true, dot: true }));
    }
    return id;
  }

  get size(): number {
    return this.matchers.length;
  }

  private matchesOf(token: string): readonly number[] {
    let hit = this.cache.get(token);
    if (!hit) {
      const found: number[] = [];
      for (let i = 0; i < this.matchers.length; i++) if (this.matchers[i]!(token)) found.push(i);
      hit = found;
      if (this.cache.size > 500_000) this.cache.clear();
      this.cache.set(token, hit);
    }
    return hit;
  }

  /** Positions of tokens matching wildcard `id` in `doc`. */
  positions(doc: TextDoc, id: number): readonly number[] | undefined {
    if (this.matchers.length === 0) return undefined;
    let map = this.perDoc.get(doc);
    if (!map) {
      map = new Map();
      for (let i = 0; i < doc.tokens.length; i++) {
        for (const w of this.matchesOf(doc.tokens[i]!)) {
          const list = map.get(w);
          if (list) list.push(i);
          else map.set(w, [i]);
        }
      }
      this.perDoc.set(doc, map);
    }
    return map.get(id);
  }
}

export function compileTerm(text: string, wild: WildIndex): Term {
  const words = text
    .trim()
    .split(/\s+/)
    .flatMap((w) => (w.includes('*') ? [w.toLowerCase()] : tokenize(w)));
  const parts: Part[] = words.map((w) =>
    w.includes('*') ? { wild: wild.add(fold(w).replace(/[^a-z0-9*?]/g, '')) } : { stems: stems(w) },
  );
  return { text, parts };
}

function partPositions(part: Part, doc: TextDoc, wild: WildIndex): readonly number[] | undefined {
  if ('wild' in part) return wild.positions(doc, part.wild);
  const [a, b] = part.stems;
  const pa = doc.positions.get(a!);
  if (b === undefined) return pa;
  const pb = doc.positions.get(b);
  if (!pa) return pb;
  if (!pb) return pa;
  return [...new Set([...pa, ...pb])].sort((x, y) => x - y);
}

/** Start positions where the term (one word or a phrase) occurs. */
export function termPositions(term: Term, doc: TextDoc, wild: WildIndex): readonly number[] {
  const first = partPositions(term.parts[0]!, doc, wild);
  if (!first) return [];
  if (term.parts.length === 1) return first;
  const rest = term.parts.slice(1).map((p) => partPositions(p, doc, wild));
  if (rest.some((r) => !r)) return [];
  return first.filter((p) => rest.every((r, k) => r!.includes(p + k + 1)));
}

export function termMatches(term: Term, doc: TextDoc, wild: WildIndex): boolean {
  if (term.parts.length === 1) {
    const p = partPositions(term.parts[0]!, doc, wild);
    return p !== undefined && p.length > 0;
  }
  return termPositions(term, doc, wild).length > 0;
}

/** Result of a leaf when explaining: did it hold, and what made it (terms found, actual value). */
export interface LeafOutcome {
  ok: boolean;
  /** Terms found, or the fact's actual value. */
  evidence: string[];
}

export interface CompiledLeaf {
  test(f: CallFacts): boolean;
  explain(f: CallFacts): LeafOutcome;
}

const asList = (v: FactValue): string[] =>
  v === undefined ? [] : Array.isArray(v) ? [...(v as readonly string[])] : [String(v)];

function invalid(path: string, message: string): AppError {
  return new AppError('RULES_INVALID', `invalid rule set\n  ${path}: ${message}`, {
    details: [{ path, message }],
  });
}

/** Resolves `{ fact: "city.…" }` values against the city profile at compile time. */
export type ResolveCityFact = (name: string) => string | string[] | undefined;

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

  if (op === 'containsAny' || op === 'containsAll' || op === 'phrase') {
    if (!isText) throw invalid(`${path}.operator`, `"${op}" needs a text fact (${textFacts.join(', ')})`);
    const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : null;
    if (!list || list.length === 0 || list.some((t) => typeof t !== 'string')) {
      throw invalid(`${path}.value`, `"${op}" needs a list of terms`);
    }
    const terms = (list as string[]).map((t) => compileTerm(t, wild));
    if (terms.some((t) => t.parts.length === 0))
      throw invalid(`${path}.value`, 'a term has no letters or digits');
    const fact = leaf.fact as TextFact;
    const need = op === 'containsAll' ? terms.length : Math.min(leaf.min ?? 1, terms.length);
    return {
      test(f) {
        const doc = f.docs[fact];
        let n = 0;
        for (const t of terms) {
          if (termMatches(t, doc, wild)) {
            if (++n >= need) return true;
          } else if (op === 'containsAll') return false;
        }
        return false;
      },
      explain(f) {
        const doc = f.docs[fact];
        const found = terms.filter((t) => termMatches(t, doc, wild)).map((t) => t.text);
        return { ok: found.length >= need, evidence: found };
      },
    };
  }

  if (op === 'near') {
    if (!isText) throw invalid(`${path}.operator`, `"near" needs a text fact (${textFacts.join(', ')})`);
    const v = value as { a?: unknown; b?: unknown; within?: number };
    if (!v || typeof v !== 'object' || !Array.isArray(v.a) || !Array.isArray(v.b)) {
      throw invalid(`${path}.value`, '"near" needs { a: [terms], b: [terms], within: n }');
    }
    const a = (v.a as string[]).map((t) => compileTerm(t, wild));
    const b = (v.b as string[]).map((t) => compileTerm(t, wild));
    const within = v.within ?? 8;
    const fact = leaf.fact as TextFact;
    const run = (f: CallFacts): string[] | null => {
      const doc = f.docs[fact];
      for (const ta of a) {
        const pa = termPositions(ta, doc, wild);
        if (pa.length === 0) continue;
        for (const tb of b) {
          const pb = termPositions(tb, doc, wild);
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

  if (op === 'in' || op === 'equals') {
    const wanted = new Set(asList(value as FactValue).map((s) => s.toLowerCase()));
    if (wanted.size === 0) throw invalid(`${path}.value`, `"${op}" needs a value or a list of values`);
    const fact = leaf.fact;
    const run = (f: CallFacts): string[] => {
      const actual = asList(f.values[fact]);
      if (op === 'equals') return actual.length === 1 && wanted.has(actual[0]!.toLowerCase()) ? actual : [];
      return actual.filter((x) => wanted.has(x.toLowerCase()));
    };
    return {
      test: (f) => run(f).length > 0,
      explain(f) {
        const hit = run(f);
        return { ok: hit.length > 0, evidence: hit.length > 0 ? hit : asList(f.values[fact]) };
      },
    };
  }

  if (op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte') {
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

  // globMatch: globs only (`*`, `?`, character classes), never regular expressions.
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
