import MiniSearch, { type Query } from 'minisearch';
import type { AppContext } from '../context.ts';
import { archivedFrom } from '../domain/call.ts';
import { indexTermOf, termsOf, tokenize } from '../search/text.ts';
import { loadVocabulary, TermExpander } from '../search/vocabulary.ts';
import { cached, dataGeneration } from '../sql.ts';

/** What list filters and sorting need of a call, kept in memory beside the text index. */
export interface CallFacts {
  id: string;
  source: string;
  programme: string | null;
  contentHash: string;
  /** Opening date in ms, or null. */
  openingAt: number | null;
  /** Deadline instants in ms, ascending. */
  deadlines: number[];
  /** Without deadlines: closed (archived) from this instant in ms on (`archivedFrom`), or null. */
  archivedAt: number | null;
  firstSeenAt: string;
}

function archivedMs(r: { title: string; programme: string | null }): number | null {
  const at = archivedFrom({ title: r.title, programme: r.programme ?? undefined });
  return at ? Date.parse(at) : null;
}

interface Doc {
  id: string;
  language: string;
  title: string;
  identifier: string;
  programme: string;
  keywords: string;
  summary: string;
  description: string;
}

const fields = ['title', 'identifier', 'programme', 'keywords', 'summary', 'description'] as const;
const boost = { title: 3, identifier: 2, keywords: 2, programme: 1.5, summary: 1.5, description: 1 };
/** Weight of a vocabulary translation relative to the word the user typed. */
const translationWeight = 0.6;
const batchSize = 500;
/** Vocabulary translations are searched in these fields only. */
const translationFields = ['title', 'keywords', 'summary'];
/** A word in more than this share of all calls is left out of a query that has other words. */
const commonShare = 0.5;
/** …in an index of at least this many calls (in a small one every word still counts). */
const commonMinCalls = 1_000;
const cacheSize = 256;

/**
 * Full-text index over all calls (minisearch) plus the facts list filters need. Kept in step
 * with the database lazily: before each use a cheap fingerprint query tells whether calls were
 * added or changed, and only those are re-read and re-indexed.
 */
export class CallSearchIndex {
  readonly facts = new Map<string, CallFacts>();
  /**
   * In how many calls each index term occurs (by term id), taken back when a call is re-indexed
   * or removed, so that a call changed at every crawl does not make its words look common. Search
   * uses it to tell known words from half-typed or mistyped ones and to leave out words nearly
   * every call contains.
   */
  private documentFrequency = new Int32Array(4096);
  private readonly termIds = new Map<string, number>();
  /** The distinct term ids of each indexed call (4 bytes a term: ~1 MB per 1,000 calls). */
  private readonly termsOfCall = new Map<string, Int32Array>();
  private readonly mini = new MiniSearch<Doc>({
    fields: [...fields],
    // Each text is stemmed once, in its own language, while it is extracted; the index then
    // only splits the prepared terms. Queries arrive as prepared terms too (see buildQuery).
    // The texts arrive prepared (see `load`).
    extractField: (doc, field) => String(doc[field as keyof Doc] ?? ''),
    tokenize: (s) => s.split(' '),
    processTerm: (t) => t || null,
    searchOptions: { boost, tokenize: (s) => s.split(' '), processTerm: (t) => t },
  });
  /** Search results until the indexed content changes (cleared by `refresh`). */
  private readonly cache = new Map<string, Map<string, number>>();
  private fingerprint = '';
  private quickFingerprint = '';

  /** Changes whenever anything was written to the database (as of the last `refresh`). */
  get dataVersion(): string {
    return this.quickFingerprint;
  }
  private readonly expander: TermExpander;

  constructor(private readonly ctx: AppContext) {
    this.expander = new TermExpander(loadVocabulary(ctx.config.rulesFile));
  }

  /** Brings index and facts up to date with the `calls` table; returns how many calls were (re)indexed. */
  refresh(): number {
    const { sqlite } = this.ctx.dbh;
    // Cheapest first: nothing was written through this connection and no other connection
    // committed since the last look (see dataGeneration) → nothing to do.
    const quick = dataGeneration(sqlite);
    if (quick === this.quickFingerprint) return 0;
    this.quickFingerprint = quick;
    const fp = cached(
      sqlite,
      'select count(*) as n, max(updated_at) as u, (select max(id) from call_changes) as c from calls',
    ).get() as { n: number; u: string | null; c: number | null };
    const fingerprint = `${fp.n}|${fp.u}|${fp.c}`;
    if (fingerprint === this.fingerprint) return 0;

    const current = cached(sqlite, 'select id, content_hash as h from calls').all() as {
      id: string;
      h: string;
    }[];
    const seen = new Set<string>();
    const stale: string[] = [];
    for (const { id, h } of current) {
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
    if (this.mini.has(id)) this.mini.discard(id);
    this.facts.delete(id);
    const terms = this.termsOfCall.get(id);
    if (terms) for (const t of terms) this.documentFrequency[t]!--;
    this.termsOfCall.delete(id);
  }

  private termId(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.termIds.size;
      this.termIds.set(term, id);
      if (id >= this.documentFrequency.length) {
        const grown = new Int32Array(this.documentFrequency.length * 2);
        grown.set(this.documentFrequency);
        this.documentFrequency = grown;
      }
    }
    return id;
  }

  /** In how many indexed calls `term` (an index term, as `indexTermOf` makes it) occurs. */
  callsWithTerm(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.documentFrequency[id]!;
  }

  private load(ids: string[]): void {
    const { sqlite } = this.ctx.dbh;
    const marks = ids.map(() => '?').join(',');
    const rows = cached(
      sqlite,
      `select id, source, programme, identifier, title, summary, description, keywords, content_hash, language,
                opening_date, first_seen_at from calls where id in (${marks})`,
    ).all(...ids) as Array<{
      id: string;
      source: string;
      programme: string | null;
      identifier: string | null;
      title: string;
      summary: string;
      description: string;
      keywords: string;
      content_hash: string;
      language: string;
      opening_date: string | null;
      first_seen_at: string;
    }>;
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
    for (const r of rows) {
      this.remove(r.id);
      this.facts.set(r.id, {
        id: r.id,
        source: r.source,
        programme: r.programme,
        contentHash: r.content_hash,
        openingAt: r.opening_date ? Date.parse(r.opening_date) : null,
        deadlines: (deadlines.get(r.id) ?? []).sort((a, b) => a - b),
        archivedAt: archivedMs(r),
        firstSeenAt: r.first_seen_at,
      });
      const terms = new Set<string>();
      const prepare = (text: string) => {
        const prepared = tokenize(text).map((t) => indexTermOf(t, r.language));
        for (const t of prepared) if (t) terms.add(t);
        return prepared.join(' ');
      };
      this.mini.add({
        id: r.id,
        title: prepare(r.title),
        identifier: prepare(r.identifier ?? ''),
        programme: prepare(r.programme ?? ''),
        language: r.language,
        keywords: prepare((JSON.parse(r.keywords) as string[]).join(' ')),
        summary: prepare(r.summary),
        description: prepare(r.description),
      });
      const ids = Int32Array.from(terms, (t) => this.termId(t));
      for (const t of ids) this.documentFrequency[t]!++;
      this.termsOfCall.set(r.id, ids);
    }
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
   * summary: they are a weaker signal, and the description's postings are the costly ones).
   * The last word is also a prefix when it is no known word (half typed: "climate neutr").
   * With `fuzzy`, words that no call contains get typo tolerance. Words nearly every call
   * contains ("horizon", "europe") are left out when other words can rank.
   */
  buildQuery(q: string, options: { fuzzy: boolean }): Query | undefined {
    const tokens = tokenize(q)
      .map((token) => termsOf(token))
      .filter((terms) => terms.length > 0);
    const informative = tokens.filter((terms) => !terms.every((t) => this.everywhere(t)));
    const used = informative.length > 0 ? informative : tokens;
    const parts: Query[] = [];
    used.forEach((terms, i) => {
      const unknown = terms.every((t) => !this.known(t));
      const last = i === used.length - 1 && used[i] === tokens.at(-1);
      const typed: Query = {
        queries: [terms.join(' ')],
        combineWith: 'OR',
        fuzzy: options.fuzzy && unknown ? (t) => (t.length >= 5 ? 0.2 : false) : false,
        maxFuzzy: 2,
        prefix: (t) => last && t.length >= 3 && !this.known(t),
      };
      const translations = [...new Set(terms.flatMap((t) => this.expander.expand(t)))];
      parts.push(
        translations.length === 0
          ? typed
          : {
              combineWith: 'OR',
              queries: [
                typed,
                {
                  queries: [translations.join(' ')],
                  combineWith: 'OR',
                  fields: translationFields,
                  boostTerm: () => translationWeight,
                },
              ],
            },
      );
    });
    return parts.length === 0 ? undefined : { combineWith: 'OR', queries: parts };
  }

  /** Whether a typo-tolerant second pass can find more: some word is in no call. */
  private mayBeMistyped(q: string): boolean {
    return tokenize(q).some((token) => {
      const terms = termsOf(token);
      return terms.length > 0 && terms.every((t) => !this.known(t));
    });
  }

  /**
   * Relevance score per matching call id. Typo tolerance is the expensive part of a search
   * and only pays when the words as typed find little and one of them is in no call, so it is
   * a second pass.
   */
  search(q: string, options: { fuzzyBelow?: number } = {}): ReadonlyMap<string, number> {
    // Searches repeat (the same words from many users, every page of a list): results are
    // kept until the indexed content changes.
    const key = `${options.fuzzyBelow ?? 20}|${q.trim().toLowerCase()}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const scores = new Map<string, number>();
    const exact = this.buildQuery(q, { fuzzy: false });
    if (exact) {
      let results = this.mini.search(exact);
      if (results.length < (options.fuzzyBelow ?? 20) && this.mayBeMistyped(q)) {
        results = this.mini.search(this.buildQuery(q, { fuzzy: true })!);
      }
      for (const r of results) scores.set(r.id as string, r.score);
    }
    if (this.cache.size >= cacheSize) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, scores);
    return scores;
  }

  /** Search without the result cache (benchmarks measure the search itself with it). */
  searchUncached(q: string): ReadonlyMap<string, number> {
    this.cache.clear();
    return this.search(q);
  }

  clearCache(): void {
    this.cache.clear();
  }
}

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
