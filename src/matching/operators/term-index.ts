/**
 * The term index behind the text operators: term and wildcard-pattern ids from one process-wide
 * registry. `*` in a term matches inside a word (German compounds: `*partnerschaft*`) through a
 * per-token cache, so each distinct word is checked against the wildcard terms only once per rule set.
 */
import type { TextDoc } from '../text.ts';
import { tokenVocab } from '../vocab.ts';
import { compileTerm, globMatcher, type Positions, partPositions, phraseAt, type Term } from './term.ts';

/**
 * CSR lists keyed by small integers (stem or pattern ids): `ids[start[k] .. start[k + 1]]`.
 * A lookup is two array reads instead of hashing a string.
 */
class IdLists {
  private readonly start: Int32Array;
  private readonly ids: Int32Array;
  constructor(map: ReadonlyMap<number, readonly number[]>) {
    const max = map.size === 0 ? -1 : Math.max(...map.keys());
    this.start = new Int32Array(max + 2);
    let n = 0;
    for (let k = 0; k <= max; k++) {
      this.start[k] = n;
      n += map.get(k)?.length ?? 0;
    }
    this.start[max + 1] = n;
    this.ids = new Int32Array(n);
    for (const [k, list] of map) this.ids.set(list, this.start[k]!);
  }
  /**
   * For every id listed under key `k`: marks 1 in `out`, or 0 for an id stored as `~id`
   * (a phrase to check later).
   */
  mark(k: number, out: Int8Array): void {
    if (k + 1 >= this.start.length) return;
    for (let i = this.start[k]!, end = this.start[k + 1]!; i < end; i++) {
      const id = this.ids[i]!;
      if (id >= 0) out[id] = 1;
      else out[~id] = 0;
    }
  }
}

const push = <K>(m: Map<K, number[]>, k: K, id: number) => {
  const list = m.get(k);
  if (list) list.push(id);
  else m.set(k, [id]);
};

/**
 * Every term and wildcard pattern any rule set of this process has used, with process-wide
 * ids: term memos and the condition results kept per call (`CallMemo`) stay valid across rule
 * set versions, and the glob of a pattern runs once per distinct word, ever.
 */
class TermRegistry {
  readonly terms: Term[] = [];
  private readonly termIds = new Map<string, number>();
  readonly patterns: string[] = [];
  private readonly matchers: ((s: string) => boolean)[] = [];
  private readonly patternIds = new Map<string, number>();
  /** Patterns by the first two letters of their literal start; patterns starting with `*` float. */
  private readonly byHead = new Map<string, number[]>();
  private readonly floating: number[] = [];

  /** stem id → single-word terms; pattern id → single-wildcard terms; phrases by first stem. */
  private readonly byStem = new Map<number, number[]>();
  private readonly byWild = new Map<number, number[]>();
  private readonly phraseByStem = new Map<number, number[]>();
  /** Phrases starting with a wildcard: always checked. */
  private readonly phraseWild: number[] = [];
  /** Array-indexed forms of the maps above, rebuilt after new terms. */
  private lists?: { stems: IdLists; wild: IdLists };

  /** Per token id: index into `tokenLists` (-1 unknown) and how many patterns it was checked against. */
  private tokenState = new Int32Array(1024).fill(-1);
  private tokenChecked = new Int32Array(1024);
  private readonly tokenLists: Int32Array[] = [new Int32Array(0)];

  pattern(glob: string): number {
    let id = this.patternIds.get(glob);
    if (id === undefined) {
      id = this.patterns.length;
      this.patternIds.set(glob, id);
      this.patterns.push(glob);
      this.matchers.push(globMatcher(glob));
      const head = glob.slice(0, 2);
      if (head.length < 2 || /[*?]/.test(head)) this.floating.push(id);
      else push(this.byHead, head, id);
    }
    return id;
  }

  term(text: string): number {
    let id = this.termIds.get(text);
    if (id !== undefined) return id;
    const term = compileTerm(text, (glob) => this.pattern(glob));
    id = this.terms.length;
    this.termIds.set(text, id);
    this.terms.push(term);
    this.lists = undefined;
    const first = term.parts[0];
    if (term.parts.length !== 1 || !first) {
      if (first && 'stems' in first) for (const st of first.stems) push(this.phraseByStem, st, id);
      else this.phraseWild.push(id);
    } else if ('wild' in first) push(this.byWild, first.wild, id);
    else for (const st of first.stems) push(this.byStem, st, id);
    return id;
  }

  /** Ids of the patterns a token matches (ascending); cached per token id. */
  matchesOf(token: number): Int32Array {
    if (token >= this.tokenState.length) {
      const size = Math.max(token + 1, this.tokenState.length * 2);
      const state = new Int32Array(size).fill(-1);
      state.set(this.tokenState);
      const checked = new Int32Array(size);
      checked.set(this.tokenChecked);
      this.tokenState = state;
      this.tokenChecked = checked;
    }
    const k = this.tokenState[token]!;
    const done = this.tokenChecked[token]!;
    if (k >= 0 && done === this.patterns.length) return this.tokenLists[k]!;
    const word = tokenVocab.texts[token]!;
    const found = k >= 0 ? Array.from(this.tokenLists[k]!) : [];
    if (done === 0 || k < 0) {
      for (const i of this.floating) if (this.matchers[i]!(word)) found.push(i);
      const headed = this.byHead.get(word.slice(0, 2));
      if (headed) for (const i of headed) if (this.matchers[i]!(word)) found.push(i);
    } else {
      // Only the patterns added since this token was last checked.
      for (let i = done; i < this.patterns.length; i++) if (this.matchers[i]!(word)) found.push(i);
    }
    this.tokenChecked[token] = this.patterns.length;
    if (found.length === 0) {
      this.tokenState[token] = 0;
      return this.tokenLists[0]!;
    }
    const list = Int32Array.from(found.sort((x, y) => x - y));
    this.tokenState[token] = this.tokenLists.length;
    this.tokenLists.push(list);
    return list;
  }

  /**
   * Term memos of the docs looked at last, in a few reused slots: scoring asks for the memo of
   * each of a call's docs many times in a row, and later (explanations, new conditions after a
   * rule change) rarely. Kept per doc, the memos were one array per doc for as long as the call
   * is cached (a large part of a cold match's memory and time); rebuilt, a memo is the same.
   */
  private readonly slots: { doc?: TextDoc; memo: Int8Array }[] = Array.from({ length: 8 }, () => ({
    memo: new Int8Array(0),
  }));
  private lastSlot = 0;

  /**
   * The doc's term memo: 1 occurs, 2 does not, 0 not known yet (see `resolve`). Built from the
   * doc's side (every distinct stem and word marks the terms it satisfies: one lookup per stem
   * instead of one per term). Valid until the next `hits` of another doc may reuse its slot, so
   * callers use it at once and do not keep it.
   */
  hits(doc: TextDoc): Int8Array {
    const n = this.terms.length;
    const slots = this.slots;
    for (let k = 0, i = this.lastSlot; k < slots.length; k++, i = (i + 1) % slots.length) {
      const slot = slots[i]!;
      if (slot.doc === doc && slot.memo.length === n) {
        this.lastSlot = i;
        return slot.memo;
      }
    }
    if (!this.lists) {
      const both = new Map<number, number[]>();
      for (const [st, ids] of this.byStem) both.set(st, [...ids]);
      for (const [st, ids] of this.phraseByStem)
        both.set(st, [...(both.get(st) ?? []), ...ids.map((i) => ~i)]);
      this.lists = { stems: new IdLists(both), wild: new IdLists(this.byWild) };
    }
    const { stems: stemLists, wild: wildLists } = this.lists;
    // The slot after the last one used: the oldest (slots are taken round the ring).
    const at = (this.lastSlot + 1) % slots.length;
    const slot = slots[at]!;
    if (slot.memo.length !== n) slot.memo = new Int8Array(n);
    slot.doc = doc;
    this.lastSlot = at;
    const hits = slot.memo.fill(2);
    for (const id of this.phraseWild) hits[id] = 0;
    const stems = doc.stems;
    for (let i = 0; i < stems.length; i++) stemLists.mark(stems[i]!, hits);
    if (this.byWild.size > 0) {
      const distinct = doc.distinct;
      for (let i = 0; i < distinct.length; i++) {
        const ws = this.matchesOf(distinct[i]!);
        for (let k = 0; k < ws.length; k++) wildLists.mark(ws[k]!, hits);
      }
    }
    return hits;
  }

  /** Positions of tokens matching pattern `id` in `doc` (per doc, all patterns at once). */
  positions(doc: TextDoc, id: number): readonly number[] | undefined {
    let map = doc.wildPositions;
    if (!map || doc.wildChecked !== this.patterns.length) {
      map = new Map();
      const tokens = doc.tokens;
      for (let i = 0; i < tokens.length; i++) {
        for (const w of this.matchesOf(tokens[i]!)) push(map, w, i);
      }
      doc.wildPositions = map;
      doc.wildChecked = this.patterns.length;
    }
    return map.get(id);
  }

  /** Checks a term whose memo entry is 0 and records the result. */
  resolve(doc: TextDoc, hits: Int8Array, id: number): boolean {
    const ok = termMatches(this.terms[id]!, doc, registry);
    hits[id] = ok ? 1 : 2;
    return ok;
  }
}

const registry = new TermRegistry();

/**
 * The terms and wildcard patterns of one rule set (ids from the process-wide registry), and
 * term lookups in a call's docs.
 */
export class WildIndex {
  private readonly patterns = new Set<number>();

  /** Registers a wildcard pattern; `size` counts this rule set's distinct patterns. */
  add(pattern: string): number {
    const id = registry.pattern(pattern);
    this.patterns.add(id);
    return id;
  }

  get size(): number {
    return this.patterns.size;
  }

  /** One shared compiled term per distinct term text. */
  intern(text: string): { id: number; term: Term } {
    const id = registry.term(text.trim());
    const term = registry.terms[id]!;
    for (const p of term.parts) if ('wild' in p) this.patterns.add(p.wild);
    return { id, term };
  }

  /** A term that is not memoised (`near` operands). */
  compile(text: string): Term {
    return compileTerm(text, (glob) => this.add(glob));
  }

  /** Does the term occur in the doc? Memoised per doc, so a term is checked once per call. */
  has(doc: TextDoc, id: number): boolean {
    const hits = registry.hits(doc);
    const v = hits[id];
    if (v === 1) return true;
    if (v === 2) return false;
    return registry.resolve(doc, hits, id);
  }

  /** The doc's term memo: 1 occurs, 2 does not, 0 not known yet (`resolve`). */
  hits(doc: TextDoc): Int8Array {
    return registry.hits(doc);
  }

  resolve(doc: TextDoc, hits: Int8Array, id: number): boolean {
    return registry.resolve(doc, hits, id);
  }
}

/** Start positions where the term (one word or a phrase) occurs. */
export function termPositions(term: Term, doc: TextDoc, wild: Positions = registry): readonly number[] {
  const first = partPositions(term.parts[0]!, doc, wild);
  if (!first) return [];
  if (term.parts.length === 1) return first;
  return first.filter((p) => phraseAt(term, doc, wild, p));
}

export function termMatches(term: Term, doc: TextDoc, wild: Positions = registry): boolean {
  const part = term.parts[0]!;
  if ('stems' in part) {
    for (const st of part.stems) {
      const i = doc.indexOf(st);
      if (i < 0) continue;
      if (term.parts.length === 1) return true;
      for (let k = doc.from(i), end = doc.from(i + 1); k < end; k++) {
        if (phraseAt(term, doc, wild, doc.position(k))) return true;
      }
    }
    return false;
  }
  const list = wild.positions(doc, part.wild);
  if (!list) return false;
  if (term.parts.length === 1) return list.length > 0;
  return list.some((p) => phraseAt(term, doc, wild, p));
}
