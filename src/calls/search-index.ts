import { withMappedFile } from '../../db/client.ts';
import type { AppContext } from '../context.ts';
import { InvertedIndex, type Scope } from '../search/inverted-index.ts';
import { indexTermOf, termsOf, tokenize } from '../search/text.ts';
import { TokenIds } from '../search/token-ids.ts';
import { loadVocabulary, TermExpander } from '../search/vocabulary.ts';
import { cached, dataGeneration } from '../sql.ts';
import { type CallFacts, type CallRow, factsOf, fieldSpecs, fieldTexts, indexColumns } from './index-rows.ts';
import { RecentCache, recentQueries } from './recent-cache.ts';
import { SharedStrings } from './shared-strings.ts';

/** Weight of a vocabulary translation relative to the word the user typed. */
const translationWeight = 0.6;
/** Weight of a completion of the last word, and of a spelling neighbour (then scaled by closeness). */
const prefixWeight = 0.375;
const fuzzyWeight = 0.45;
const batchSize = 500;
/** A word in more than this share of all calls is left out of a query that has other words. */
const commonShare = 0.5;
/** …in an index of at least this many calls (in a small one every word still counts). */
const commonMinCalls = 1_000;

/** One term of a prepared query: where it is searched and how much a hit counts. */
export interface QueryTerm {
  term: string;
  weight: number;
  scope: Scope;
}

/**
 * Which call each index slot holds (see `CallSearchIndex`). Owned and updated by the index;
 * `epoch` grows when a slot is given to another call, so an order kept from before can tell
 * that its slots may now name other calls.
 */
export interface SlotTable {
  /** Facts of the call in each slot; undefined once the call is gone from the index. */
  facts: (CallFacts | undefined)[];
  /** Id of the call each slot held last (kept after removal, until the slot is reused). */
  ids: (string | undefined)[];
  epoch: number;
}

/**
 * Search hits: the index slot of each matching call (see `slots`) and its relevance, in no
 * particular order. Typed arrays: results are kept, and kept pointer arrays cost every young
 * garbage collection a copy.
 */
export interface SearchHits {
  slots: Int32Array;
  scores: Float64Array;
}

/**
 * Full-text index over all calls plus the facts list filters need. Text is prepared by the
 * project's own analyser (folding, German or English stem by the call's language) and kept in a
 * compact inverted index in typed arrays (see `src/search/inverted-index.ts` and docs/search.md).
 * Kept in step with the database lazily: before each use a cheap fingerprint query tells whether
 * calls were added or changed, and only those are re-read and re-indexed.
 */
export class CallSearchIndex {
  readonly facts = new Map<string, CallFacts>();
  private readonly text = new InvertedIndex(fieldSpecs);
  private readonly slotOf = new Map<string, number>();
  /** Which call each slot of the text index holds. */
  readonly slots: SlotTable = { facts: [], ids: [], epoch: 0 };
  /** Index term ids of the raw words of a text, per text language (-1: stop word). */
  private readonly germanWords = new TokenIds((token) => this.termIdOf(token, 'de'));
  private readonly englishWords = new TokenIds((token) => this.termIdOf(token, 'en'));

  /** Search results until the indexed content changes (cleared by `refresh`). */
  private readonly cache = new RecentCache<SearchHits>(recentQueries);
  private fingerprint = '';
  private quickFingerprint = '';
  /** Facts repeat source, programme and import time across calls: one copy each. */
  private readonly shared = new SharedStrings();

  /** Changes whenever anything was written to the database (as of the last `refresh`). */
  get dataVersion(): string {
    return this.quickFingerprint;
  }
  private readonly expander: TermExpander;

  constructor(private readonly ctx: AppContext) {
    this.expander = new TermExpander(loadVocabulary(ctx.config.rulesFile));
  }

  /** A word's index term (folded, stemmed in the text's language) as a term id; -1 for a stop word. */
  private termIdOf(token: string, language: string): number {
    const term = indexTermOf(token, language);
    return term ? this.text.termId(term) : -1;
  }

  /** Brings index and facts up to date with the `calls` table; returns how many calls were (re)indexed. */
  refresh(): number {
    const { sqlite } = this.ctx.dbh;
    // Cheapest first: nothing was written through this connection and no other connection
    // committed since the last look (see dataGeneration) → nothing to do.
    const quick = dataGeneration(sqlite);
    if (quick === this.quickFingerprint) return 0;
    this.quickFingerprint = quick;
    // The first build reads every call in one scan and takes the fingerprint from it (a scan of
    // the wide calls table is most of the build's time).
    if (this.facts.size === 0) {
      const loaded = withMappedFile(sqlite, () => this.loadAll());
      this.fingerprint = `${loaded.n}|${loaded.u}|${loaded.c}`;
      this.cache.clear();
      return loaded.n;
    }
    const fp = cached(sqlite, callsFingerprintSql).get() as { n: number; u: string | null; c: number | null };
    const fingerprint = `${fp.n}|${fp.u}|${fp.c}`;
    if (fingerprint === this.fingerprint) return 0;

    const current = cached(sqlite, 'select id, content_hash as h from calls').raw().all() as [
      string,
      string,
    ][];
    const seen = new Set<string>();
    const stale: string[] = [];
    for (const [id, h] of current) {
      seen.add(id);
      if (this.facts.get(id)?.contentHash !== h) stale.push(id);
    }
    for (const id of [...this.facts.keys()]) {
      if (!seen.has(id)) this.remove(id);
    }
    for (let i = 0; i < stale.length; i += batchSize) this.load(stale.slice(i, i + batchSize));
    this.fingerprint = fingerprint;
    this.cache.clear();
    return stale.length;
  }

  private remove(id: string): void {
    const slot = this.slotOf.get(id);
    if (slot !== undefined) {
      this.text.remove(slot);
      this.slots.facts[slot] = undefined;
      this.slotOf.delete(id);
    }
    this.facts.delete(id);
  }

  /** In how many indexed calls `term` (an index term, as `indexTermOf` makes it) occurs. */
  callsWithTerm(term: string): number {
    return this.text.documentFrequency(term);
  }

  /** The first build: every call in one scan; returns the fingerprint's parts (see `refresh`). */
  private loadAll(): { n: number; u: string | null; c: number | null } {
    const { sqlite } = this.ctx.dbh;
    const deadlines = new Map<string, number[]>();
    for (const [id, at] of cached(sqlite, 'select call_id, at from call_deadlines')
      .raw()
      .iterate() as Iterable<[string, string]>) {
      const list = deadlines.get(id);
      if (list) list.push(Date.parse(at));
      else deadlines.set(id, [Date.parse(at)]);
    }
    const c = cached(sqlite, 'select max(id) from call_changes').pluck().get() as number | null;
    let n = 0;
    let u: string | null = null;
    const all = cached(sqlite, `select ${indexColumns}, updated_at from calls`);
    for (const r of all.iterate() as Iterable<CallRow & { updated_at: string }>) {
      n++;
      if (u === null || r.updated_at > u) u = r.updated_at;
      this.index(r, deadlines.get(r.id) ?? []);
    }
    return { n, u, c };
  }

  private load(ids: string[]): void {
    const { sqlite } = this.ctx.dbh;
    const marks = ids.map(() => '?').join(',');
    const rows = cached(sqlite, `select ${indexColumns} from calls where id in (${marks})`).all(
      ...ids,
    ) as CallRow[];
    const deadlineRows = cached(
      sqlite,
      `select call_id, at from call_deadlines where call_id in (${marks})`,
    ).all(...ids) as { call_id: string; at: string }[];
    const deadlines = new Map<string, number[]>();
    for (const d of deadlineRows) {
      const list = deadlines.get(d.call_id) ?? [];
      list.push(Date.parse(d.at));
      deadlines.set(d.call_id, list);
    }
    for (const r of rows) this.index(r, deadlines.get(r.id) ?? []);
  }

  private index(r: CallRow, deadlines: number[]): void {
    this.remove(r.id);
    const facts = factsOf(r, deadlines, this.shared);
    this.facts.set(r.id, facts);
    const words = r.language === 'de' ? this.germanWords : this.englishWords;
    const fields = fieldTexts(r);
    this.text.begin();
    for (let f = 0; f < fields.length; f++) this.text.addField(f, words.ids, words.scan(fields[f]!));
    const slot = this.text.end();
    this.slotOf.set(r.id, slot);
    // A slot another call had: orders kept from before must no longer read it as theirs.
    const had = this.slots.ids[slot];
    if (had !== undefined && had !== r.id) this.slots.epoch++;
    this.slots.ids[slot] = r.id;
    this.slots.facts[slot] = facts;
  }

  /** A term some call contains. */
  private known(term: string): boolean {
    return this.callsWithTerm(term) > 0;
  }

  /** A term (nearly) every call contains: it cannot rank, and reading its postings is the slow part. */
  private everywhere(term: string): boolean {
    const n = this.facts.size;
    return n >= commonMinCalls && this.callsWithTerm(term) > commonShare * n;
  }

  /**
   * Builds the query: every word the user typed (German and English stems) OR its vocabulary
   * translations at a lower weight, the translations in the short fields only (title, keywords,
   * summary: they are a weaker signal). The last word is also a prefix when it is no known word
   * (half typed: "climate neutr"). With `fuzzy`, words that no call contains get typo tolerance
   * (terms within 20% edits, at most 2, from 5 letters on). Words nearly every call contains
   * ("horizon", "europe") are left out when other words can rank.
   */
  buildQuery(q: string, options: { fuzzy: boolean }): QueryTerm[] {
    const tokens = tokenize(q)
      .map((token) => termsOf(token))
      .filter((terms) => terms.length > 0);
    const informative = tokens.filter((terms) => !terms.every((t) => this.everywhere(t)));
    const used = informative.length > 0 ? informative : tokens;
    const out: QueryTerm[] = [];
    used.forEach((terms, i) => {
      const unknown = terms.every((t) => !this.known(t));
      const last = i === used.length - 1 && used[i] === tokens.at(-1);
      for (const term of terms) {
        out.push({ term, weight: 1, scope: 'all' });
        if (last && term.length >= 3 && !this.known(term)) {
          for (const completion of this.text.withPrefix(term)) {
            const extra = completion.length - term.length;
            out.push({
              term: completion,
              weight: (prefixWeight * term.length) / (term.length + 0.3 * extra),
              scope: 'all',
            });
          }
        }
        if (options.fuzzy && unknown && term.length >= 5) {
          const max = Math.min(2, Math.round(term.length * 0.2));
          for (const { term: near, distance } of this.text.similar(term, max)) {
            out.push({
              term: near,
              weight: (fuzzyWeight * term.length) / (term.length + distance),
              scope: 'all',
            });
          }
        }
      }
      for (const term of new Set(terms.flatMap((t) => this.expander.expand(t)))) {
        out.push({ term, weight: translationWeight, scope: 'short' });
      }
    });
    return out;
  }

  /** Whether a typo-tolerant second pass can find more: some word is in no call. */
  private mayBeMistyped(q: string): boolean {
    return tokenize(q).some((token) => {
      const terms = termsOf(token);
      return terms.length > 0 && terms.every((t) => !this.known(t));
    });
  }

  /**
   * The matching calls and their relevance. Typo tolerance only pays when the words as typed
   * find little and one of them is in no call, so it is a second pass.
   */
  hits(q: string, options: { fuzzyBelow?: number } = {}): SearchHits {
    // Searches repeat (the same words from many users, every page of a list): results are
    // kept until the indexed content changes.
    const key = `${options.fuzzyBelow ?? 20}|${q.trim().toLowerCase()}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    let found = this.text.search(this.buildQuery(q, { fuzzy: false }));
    if (found.slots.length < (options.fuzzyBelow ?? 20) && this.mayBeMistyped(q)) {
      found = this.text.search(this.buildQuery(q, { fuzzy: true }));
    }
    const result = { slots: found.slots, scores: found.scores };
    return this.cache.set(key, result);
  }

  /** Relevance score per matching call id. */
  search(q: string, options: { fuzzyBelow?: number } = {}): ReadonlyMap<string, number> {
    const { slots, scores } = this.hits(q, options);
    return new Map(Array.from(slots, (slot, i) => [this.slots.ids[slot]!, scores[i]!]));
  }

  /** Search without the result cache (benchmarks measure the search itself with it). */
  searchUncached(q: string): SearchHits {
    this.cache.clear();
    return this.hits(q);
  }

  clearCache(): void {
    this.cache.clear();
  }
}

/**
 * What tells the index that calls changed: their number, the latest update and the latest
 * recorded change. Asked after every commit by another process (a token, a session, feedback:
 * mostly not calls), so each part is a lookup in an index; written as one query over `calls`,
 * max(updated_at) scanned the wide table (36-105 ms for 20,000 calls, a stall of the server).
 */
export const callsFingerprintSql = `select (select count(*) from calls) as n,
  (select max(updated_at) from calls) as u, (select max(id) from call_changes) as c`;

const indexes = new WeakMap<AppContext['dbh'], CallSearchIndex>();

/** The search index of a context's database, created on first use and refreshed on every call. */
export function callSearchIndex(ctx: AppContext): CallSearchIndex {
  let index = indexes.get(ctx.dbh);
  if (!index) {
    index = new CallSearchIndex(ctx);
    indexes.set(ctx.dbh, index);
  }
  index.refresh();
  return index;
}
