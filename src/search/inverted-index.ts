/**
 * A compact inverted index in typed arrays, scored with BM25F (field weights folded into the
 * term frequency). Each term keeps one posting list: the document slots, and per slot the
 * weighted frequency in all fields and in the short fields (title, keywords, summary), where the
 * vocabulary's translations are searched. Scoring a term is a loop over its postings into a
 * reused accumulator: no objects per hit, and the whole index is a few bytes per (term, call).
 *
 * Documents live in slots. A replaced or removed document's slot is marked dead (its postings
 * are skipped) and reclaimed by a compaction once dead slots are a quarter of all.
 */

export interface FieldSpec {
  /** Weight of a word in this field relative to one in the description. */
  boost: number;
  /** Whether vocabulary translations are searched in this field. */
  short: boolean;
}

/** Where a term is scored: in every field, or in the short fields only. */
export type Scope = 'all' | 'short';

const k1 = 1.2;
const b = 0.7;
/** Weighted frequencies are stored ×2 in 16 bits (half-point steps of a field boost). */
const scale = 2;
const maxStored = 65_535;

class Postings {
  slots = new Int32Array(4);
  all = new Uint16Array(4);
  short = new Uint16Array(4);
  n = 0;

  push(slot: number, all: number, short: number): void {
    if (this.n === this.slots.length) {
      const size = this.n * 2;
      const slots = new Int32Array(size);
      slots.set(this.slots);
      const a = new Uint16Array(size);
      a.set(this.all);
      const s = new Uint16Array(size);
      s.set(this.short);
      this.slots = slots;
      this.all = a;
      this.short = s;
    }
    this.slots[this.n] = slot;
    this.all[this.n] = Math.min(maxStored, Math.round(all * scale));
    this.short[this.n] = Math.min(maxStored, Math.round(short * scale));
    this.n++;
  }

  /** Drops the postings of dead slots and trims the arrays to their length. */
  compact(alive: Uint8Array): void {
    let w = 0;
    for (let r = 0; r < this.n; r++) {
      const slot = this.slots[r]!;
      if (!alive[slot]) continue;
      this.slots[w] = slot;
      this.all[w] = this.all[r]!;
      this.short[w] = this.short[r]!;
      w++;
    }
    this.n = w;
    const size = Math.max(4, w);
    this.slots = this.slots.slice(0, size);
    this.all = this.all.slice(0, size);
    this.short = this.short.slice(0, size);
  }
}

/** Hits of a search: slots and their scores, in no particular order. */
export interface Hits {
  slots: Int32Array;
  scores: Float64Array;
}

export class InvertedIndex {
  private readonly termIds = new Map<string, number>();
  private readonly terms: string[] = [];
  private readonly postings: Postings[] = [];
  /** In how many live documents each term occurs. */
  private df = new Int32Array(1024);
  /** Distinct term ids of each slot (to take back `df` when the slot dies). */
  private termsOfSlot: (Int32Array | undefined)[] = [];
  private alive = new Uint8Array(1024);
  private lenAll = new Float32Array(1024);
  private lenShort = new Float32Array(1024);
  private sumAll = 0;
  private sumShort = 0;
  private live = 0;
  private dead = 0;
  private nextSlot = 0;
  private readonly free: number[] = [];
  /** Live terms in sorted order, for prefix lookups; rebuilt when terms were added. */
  private sorted: string[] | null = null;
  /** Live terms by length, for typo lookups; rebuilt with `sorted`. */
  private byLength: string[][] | null = null;
  private acc = new Float64Array(1024);
  /** Scratch of `add`, by term id. */
  private seen = new Int32Array(1024);
  private wAll = new Float32Array(1024);
  private wShort = new Float32Array(1024);
  private stamp = 0;
  private readonly distinct: number[] = [];
  private docAll = 0;
  private docShort = 0;
  private touched = new Int32Array(1024);

  /** `compactAfter`: dead slots that may wait before a compaction (a quarter of all must be dead, too). */
  constructor(
    private readonly fields: readonly FieldSpec[],
    private readonly compactAfter = 1_000,
  ) {}

  get size(): number {
    return this.live;
  }

  /** In how many live documents `term` occurs. */
  documentFrequency(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.df[id]!;
  }

  /** Starts adding a document; follow with `addField` per field, then `end`. */
  begin(): void {
    this.stamp++;
    this.distinct.length = 0;
    this.docAll = 0;
    this.docShort = 0;
  }

  /** Adds the first `n` term ids (see `termId`) of `ids` as words of field number `field`. */
  addField(field: number, ids: Int32Array, n: number): void {
    // Per-term accumulators indexed by term id, stamped per document: no map per document.
    const { boost, short } = this.fields[field]!;
    const stamp = this.stamp;
    const { seen, wAll, wShort, distinct } = this;
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      if (seen[id] !== stamp) {
        seen[id] = stamp;
        wAll[id] = 0;
        wShort[id] = 0;
        distinct.push(id);
      }
      wAll[id]! += boost;
      if (short) wShort[id]! += boost;
    }
    this.docAll += boost * n;
    if (short) this.docShort += boost * n;
  }

  /** Ends the document begun with `begin`; returns its slot. */
  end(): number {
    const slot = this.free.pop() ?? this.nextSlot++;
    this.ensureSlot(slot);
    const ids = Int32Array.from(this.distinct);
    for (const id of ids) {
      this.postings[id]!.push(slot, this.wAll[id]!, this.wShort[id]!);
      const before = this.df[id]!;
      this.df[id] = before + 1;
      if (before === 0) this.sorted = this.byLength = null;
    }
    this.termsOfSlot[slot] = ids;
    this.alive[slot] = 1;
    this.lenAll[slot] = this.docAll;
    this.lenShort[slot] = this.docShort;
    this.sumAll += this.docAll;
    this.sumShort += this.docShort;
    this.live++;
    return slot;
  }

  /** Removes a document; its postings are skipped until the next compaction. */
  remove(slot: number): void {
    if (!this.alive[slot]) return;
    this.alive[slot] = 0;
    const ids = this.termsOfSlot[slot]!;
    let vanished = false;
    for (const id of ids) if (--this.df[id]! === 0) vanished = true;
    if (vanished) this.sorted = this.byLength = null;
    this.termsOfSlot[slot] = undefined;
    this.sumAll -= this.lenAll[slot]!;
    this.sumShort -= this.lenShort[slot]!;
    this.live--;
    this.dead++;
    if (this.dead > this.compactAfter && this.dead * 4 > this.nextSlot) this.compact();
  }

  private compact(): void {
    for (const p of this.postings) p.compact(this.alive);
    this.free.length = 0;
    for (let s = 0; s < this.nextSlot; s++) if (!this.alive[s]) this.free.push(s);
    // Lowest slots first (pop takes from the end).
    this.free.sort((x, y) => y - x);
    this.dead = 0;
  }

  private ensureSlot(slot: number): void {
    if (slot < this.alive.length) return;
    const size = Math.max(slot + 1, this.alive.length * 2);
    const grow = <T extends Uint8Array | Float32Array | Float64Array | Int32Array>(
      a: T,
      make: (n: number) => T,
    ) => {
      const next = make(size);
      next.set(a);
      return next;
    };
    this.alive = grow(this.alive, (n) => new Uint8Array(n));
    this.lenAll = grow(this.lenAll, (n) => new Float32Array(n));
    this.lenShort = grow(this.lenShort, (n) => new Float32Array(n));
    this.acc = grow(this.acc, (n) => new Float64Array(n));
    this.touched = new Int32Array(size);
  }

  /** The id of a term (ids are never reused; a term no live document has keeps its id). */
  termId(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.termIds.set(term, id);
      this.terms.push(term);
      this.postings.push(new Postings());
      if (id >= this.df.length) {
        const size = this.df.length * 2;
        const df = new Int32Array(size);
        df.set(this.df);
        this.df = df;
        const seen = new Int32Array(size);
        seen.set(this.seen);
        this.seen = seen;
        this.wAll = new Float32Array(size);
        this.wShort = new Float32Array(size);
      }
    }
    return id;
  }

  private liveTerms(): string[] {
    if (!this.sorted) {
      this.sorted = this.terms.filter((_, id) => this.df[id]! > 0).sort();
      this.byLength = [];
      for (const t of this.sorted) {
        const list = this.byLength[t.length];
        if (list) list.push(t);
        else this.byLength[t.length] = [t];
      }
    }
    return this.sorted;
  }

  /** Live terms that start with `prefix` (the prefix itself included when it is a term). */
  withPrefix(prefix: string, max = 200): string[] {
    const sorted = this.liveTerms();
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < sorted.length && out.length < max && sorted[i]!.startsWith(prefix); i++) {
      out.push(sorted[i]!);
    }
    return out;
  }

  /** Live terms within `maxDistance` edits of `term` (Levenshtein), with their distance. */
  similar(term: string, maxDistance: number): { term: string; distance: number }[] {
    this.liveTerms();
    const out: { term: string; distance: number }[] = [];
    for (let len = term.length - maxDistance; len <= term.length + maxDistance; len++) {
      for (const candidate of this.byLength![len] ?? []) {
        const d = boundedDistance(term, candidate, maxDistance);
        if (d <= maxDistance) out.push({ term: candidate, distance: d });
      }
    }
    return out;
  }

  /**
   * Scores documents for a list of weighted terms and returns the hits. A term asked twice
   * counts twice (as in a query that names it twice).
   */
  search(query: readonly { term: string; weight: number; scope: Scope }[]): Hits {
    const acc = this.acc;
    const touched = this.touched;
    let hits = 0;
    const n = this.live;
    const avgAll = n > 0 ? this.sumAll / n : 1;
    const avgShort = n > 0 ? this.sumShort / n : 1;
    for (const { term, weight, scope } of query) {
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      const df = this.df[id]!;
      if (df === 0) continue;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      const p = this.postings[id]!;
      const freq = scope === 'all' ? p.all : p.short;
      const len = scope === 'all' ? this.lenAll : this.lenShort;
      const avg = (scope === 'all' ? avgAll : avgShort) || 1;
      const w = weight * idf * (k1 + 1);
      const { slots } = p;
      for (let i = 0; i < p.n; i++) {
        const stored = freq[i]!;
        if (stored === 0) continue;
        const slot = slots[i]!;
        if (!this.alive[slot]) continue;
        const tf = stored / scale;
        const s = (w * tf) / (tf + k1 * (1 - b + (b * len[slot]!) / avg));
        if (acc[slot] === 0) touched[hits++] = slot;
        acc[slot]! += s;
      }
    }
    const slots = touched.slice(0, hits);
    const scores = new Float64Array(hits);
    for (let i = 0; i < hits; i++) {
      const slot = slots[i]!;
      scores[i] = acc[slot]!;
      acc[slot] = 0;
    }
    return { slots, scores };
  }
}

/** Levenshtein distance of a and b, or `max + 1` as soon as it must exceed `max`. */
export function boundedDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}
