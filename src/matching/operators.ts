import picomatch from 'picomatch';
import { AppError } from '../errors.ts';
import { type CallFacts, type FactValue, type TextFact, textFacts, valueFacts } from './facts.ts';
import type { Leaf } from './rules-schema.ts';
import { fold, stems, type TextDoc } from './text.ts';

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
/**
 * A word glob as a matcher: patterns made of literals and `*` are checked with
 * startsWith/indexOf/endsWith (linear, no backtracking); others (`?`, classes) go to picomatch.
 */
export function globMatcher(pattern: string): (s: string) => boolean {
  if (/[?[\]]/.test(pattern))
    return picomatch(pattern, { nobrace: true, noextglob: true, nonegate: true, dot: true });
  const parts = pattern.split('*');
  const first = parts[0]!;
  const last = parts.at(-1)!;
  const middle = parts.slice(1, -1).filter((x) => x !== '');
  const minLength = parts.reduce((n, x) => n + x.length, 0);
  if (parts.length === 1) return (s) => s === pattern;
  return (s) => {
    if (s.length < minLength || !s.startsWith(first) || !s.endsWith(last)) return false;
    let at = first.length;
    const end = s.length - last.length;
    for (const m of middle) {
      const i = s.indexOf(m, at);
      if (i < 0 || i + m.length > end) return false;
      at = i + m.length;
    }
    return true;
  };
}

export class WildIndex {
  private readonly matchers: ((s: string) => boolean)[] = [];
  private readonly ids = new Map<string, number>();
  private cache = new Map<string, readonly number[]>();
  /** Whether `cache` has been looked up in (or published to) the shared cache. */
  private shared = false;
  /**
   * token → pattern ids depends only on the pattern list, so the last rule set's cache is reused
   * when a new version keeps the same wildcard terms (the usual rule change): a full re-match
   * then does not run every distinct word of every call through the globs again.
   */
  private static last: { key: string; cache: Map<string, readonly number[]> } | undefined;
  /** Distinct terms of the rule set; a call's docs memoise each term's result once. */
  private readonly terms: Term[] = [];
  private readonly termIds = new Map<string, number>();

  /** Patterns by the first two letters of their literal start; patterns starting with `*` float. */
  private readonly byHead = new Map<string, number[]>();
  private readonly floating: number[] = [];

  add(pattern: string): number {
    let id = this.ids.get(pattern);
    if (id === undefined) {
      if (this.shared) {
        this.cache = new Map();
        this.shared = false;
      }
      id = this.matchers.length;
      this.ids.set(pattern, id);
      this.matchers.push(globMatcher(pattern));
      const head = pattern.slice(0, 2);
      if (head.length < 2 || /[*?]/.test(head)) this.floating.push(id);
      else {
        const list = this.byHead.get(head);
        if (list) list.push(id);
        else this.byHead.set(head, [id]);
      }
    }
    return id;
  }

  get size(): number {
    return this.matchers.length;
  }

  private matchesOf(token: string): readonly number[] {
    if (!this.shared) {
      this.shared = true;
      const key = [...this.ids.keys()].join('\n');
      if (WildIndex.last?.key === key) this.cache = WildIndex.last.cache;
      else WildIndex.last = { key, cache: this.cache };
    }
    let hit = this.cache.get(token);
    if (!hit) {
      const found: number[] = [];
      for (const i of this.floating) if (this.matchers[i]!(token)) found.push(i);
      const headed = this.byHead.get(token.slice(0, 2));
      if (headed) for (const i of headed) if (this.matchers[i]!(token)) found.push(i);
      hit = found.sort((a, b) => a - b);
      if (this.cache.size > 500_000) this.cache.clear();
      this.cache.set(token, hit);
    }
    return hit;
  }

  /** stem → ids of single-word terms with that stem; wildcard id → ids of single-wildcard terms. */
  private readonly byStem = new Map<string, number[]>();
  private readonly byWild = new Map<number, number[]>();
  /** Phrases by the stem of their first word (a phrase can only occur where that word does). */
  private readonly phraseByStem = new Map<string, number[]>();
  /** Phrases starting with a wildcard: always checked. */
  private readonly phraseWild: number[] = [];

  /**
   * The memo of a doc for this rule set. It is filled from the doc's side (inverted): every
   * distinct stem of the doc marks the terms it satisfies, so the cost is one lookup per stem
   * instead of one per term. Phrases are checked lazily on first use.
   */
  private memoOf(doc: TextDoc): NonNullable<TextDoc['memo']> {
    let memo = doc.memo;
    if (!memo || memo.owner !== this || memo.hits.length !== this.terms.length) {
      // 1 = occurs, 2 = does not occur, 0 = phrase whose first word occurs: checked on first use.
      const hits = new Int8Array(this.terms.length).fill(2);
      for (const id of this.phraseWild) hits[id] = 0;
      memo = { owner: this, hits };
      doc.memo = memo;
      for (const stem of doc.positions.keys()) {
        const ids = this.byStem.get(stem);
        if (ids) for (const id of ids) hits[id] = 1;
        const phrases = this.phraseByStem.get(stem);
        if (phrases) for (const id of phrases) hits[id] = 0;
      }
      if (this.byWild.size > 0) {
        for (const token of doc.distinct) {
          for (const w of this.matchesOf(token)) {
            const ids = this.byWild.get(w);
            if (ids) for (const id of ids) hits[id] = 1;
          }
        }
      }
    }
    return memo;
  }

  private wildPositions(doc: TextDoc, memo: NonNullable<TextDoc['memo']>): Map<number, number[]> {
    let map = memo.wild;
    if (!map) {
      map = new Map();
      for (let i = 0; i < doc.tokens.length; i++) {
        for (const w of this.matchesOf(doc.tokens[i]!)) {
          const list = map.get(w);
          if (list) list.push(i);
          else map.set(w, [i]);
        }
      }
      memo.wild = map;
    }
    return map;
  }

  /** Positions of tokens matching wildcard `id` in `doc`. */
  positions(doc: TextDoc, id: number): readonly number[] | undefined {
    if (this.matchers.length === 0) return undefined;
    return this.wildPositions(doc, this.memoOf(doc)).get(id);
  }

  /** One shared compiled term per distinct term text. */
  intern(text: string): { id: number; term: Term } {
    const key = text.trim();
    let id = this.termIds.get(key);
    if (id === undefined) {
      id = this.terms.length;
      this.termIds.set(key, id);
      const term = compileTerm(key, this);
      this.terms.push(term);
      const only = term.parts.length === 1 ? term.parts[0]! : undefined;
      const push = <K>(m: Map<K, number[]>, k: K) => {
        const list = m.get(k);
        if (list) list.push(id!);
        else m.set(k, [id!]);
      };
      const first = term.parts[0];
      if (!only && first) {
        if ('wild' in first) this.phraseWild.push(id);
        else for (const st of first.stems) push(this.phraseByStem, st);
      } else if (!only) this.phraseWild.push(id);
      else if ('wild' in only) push(this.byWild, only.wild);
      else for (const st of only.stems) push(this.byStem, st);
    }
    return { id, term: this.terms[id]! };
  }

  /** Does the term occur in the doc? Memoised per doc, so a term is checked once per call. */
  has(doc: TextDoc, id: number): boolean {
    const memo = this.memoOf(doc);
    const v = memo.hits[id];
    if (v === 1) return true;
    if (v === 2) return false;
    const ok = termMatches(this.terms[id]!, doc, this);
    memo.hits[id] = ok ? 1 : 2;
    return ok;
  }
}

export function compileTerm(text: string, wild: WildIndex): Term {
  // Words are split like call texts, except that `*` stays inside a word as a wildcard.
  const words = fold(text)
    .split(/[^a-z0-9*?]+/)
    .filter((w) => w !== '' && /[a-z0-9]/.test(w));
  const parts: Part[] = words.map((w) =>
    w.includes('*') || w.includes('?') ? { wild: wild.add(w) } : { stems: stems(w) },
  );
  return { text, parts };
}

function partPositions(part: Part, doc: TextDoc, wild: WildIndex): readonly number[] | undefined {
  if ('wild' in part) return wild.positions(doc, part.wild);
  const lists = part.stems.map((st) => doc.positions.get(st)).filter((l) => l !== undefined);
  if (lists.length <= 1) return lists[0];
  return [...new Set(lists.flat())].sort((x, y) => x - y);
}

/** Does the part occur at token position `pos`? (no allocation: phrases are checked often) */
function partAt(part: Part, doc: TextDoc, wild: WildIndex, pos: number): boolean {
  if ('wild' in part) return wild.positions(doc, part.wild)?.includes(pos) ?? false;
  for (const st of part.stems) if (doc.positions.get(st)?.includes(pos)) return true;
  return false;
}

function phraseAt(term: Term, doc: TextDoc, wild: WildIndex, start: number): boolean {
  for (let k = 1; k < term.parts.length; k++) if (!partAt(term.parts[k]!, doc, wild, start + k)) return false;
  return true;
}

/** Start positions where the term (one word or a phrase) occurs. */
export function termPositions(term: Term, doc: TextDoc, wild: WildIndex): readonly number[] {
  const first = partPositions(term.parts[0]!, doc, wild);
  if (!first) return [];
  if (term.parts.length === 1) return first;
  return first.filter((p) => phraseAt(term, doc, wild, p));
}

export function termMatches(term: Term, doc: TextDoc, wild: WildIndex): boolean {
  const part = term.parts[0]!;
  if ('stems' in part) {
    for (const st of part.stems) {
      const list = doc.positions.get(st);
      if (!list) continue;
      if (term.parts.length === 1) return true;
      for (const p of list) if (phraseAt(term, doc, wild, p)) return true;
    }
    return false;
  }
  const list = wild.positions(doc, part.wild);
  if (!list) return false;
  if (term.parts.length === 1) return list.length > 0;
  return list.some((p) => phraseAt(term, doc, wild, p));
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
    const interned = (list as string[]).map((t) => wild.intern(t));
    if (interned.some((t) => t.term.parts.length === 0)) {
      throw invalid(`${path}.value`, 'a term has no letters or digits');
    }
    const ids = interned.map((t) => t.id);
    const fact = leaf.fact as TextFact;
    const need = op === 'containsAll' ? ids.length : Math.min(leaf.min ?? 1, ids.length);
    return {
      test(f) {
        const doc = f.docs[fact];
        let n = 0;
        for (const id of ids) {
          if (wild.has(doc, id)) {
            if (++n >= need) return true;
          } else if (op === 'containsAll') return false;
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
