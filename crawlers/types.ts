import type { Logger } from 'pino';
import type { Config } from '../src/config.ts';
import type { Call, Deadline } from '../src/domain/call.ts';
import type { CrawlableSourceId } from '../src/domain/enums.ts';
import type { CrawlError } from './errors.ts';
import type { HttpClient } from './http.ts';

/**
 * What a source adapter yields while it crawls. The framework (`crawlers/run.ts`) turns these
 * into upserts, counts and the run record; an adapter never writes to the database itself.
 */
export type CrawlItem =
  /** A freshly fetched and normalized call. `fingerprint` is the listing's change signal for it. */
  | { type: 'call'; call: Call; fingerprint?: string }
  /** Listed and unchanged since its last fetch (same fingerprint, or a 304): only "last seen" moves. */
  | { type: 'seen'; id: string; fingerprint?: string }
  /** One record could not be had; the run goes on and ends `partial`. Critical errors are thrown instead. */
  | { type: 'error'; error: CrawlError }
  /**
   * The listing is done: `ids` are all call ids it listed, `complete` whether every listing page
   * was read. Only a complete listing (of a run without critical errors) may mark calls "no longer listed".
   */
  | { type: 'listing'; ids: readonly string[]; complete: boolean; counts?: readonly ListingCount[] };

/**
 * What a source says its listing holds (EU `totalResults`, the Förderdatenbank's hit count,
 * Algolia's `nbHits`) against the rows actually read. The framework treats a listing that read
 * fewer rows than stated as partial: an empty or short page must never mark calls "no longer listed".
 */
export interface ListingCount {
  /** Which listing, for the run's error record (e.g. the search URL). */
  label: string;
  stated: number;
  read: number;
}

/** What the framework knows about a call from earlier runs, so an adapter can skip detail fetches. */
export interface KnownCall {
  fingerprint: string | null;
  fetchedAt: string;
  delisted: boolean;
}

export interface CrawlContext {
  config: Config;
  logger: Logger;
  /** The one HTTP client, already fenced to this source's hosts. */
  http: HttpClient;
  /** Resolved base URLs per host role (config, or the `--base-url` override for all roles). */
  baseUrls: Readonly<Record<string, string>>;
  /** The run's clock; statuses are computed against it. */
  now: Date;
  signal: AbortSignal;
  known(id: string): KnownCall | undefined;
  /** Resume state saved by an interrupted run of this source (JSON), and a way to save it. */
  resume: { get(): unknown; set(state: unknown): void };
  /** Progress for the terminal: a short label and counts. */
  progress(label: string, done: number, total?: number): void;
}

/**
 * A source adapter: one file per source in `crawlers/`, registered in `crawlers/index.ts`.
 *
 * To add a source: export an object with an `id` from `crawlableSourceIds`, the real sites as
 * `defaultBaseUrls` (one entry per host role, e.g. `{ api, portal }`; every URL the adapter
 * fetches is built from `ctx.baseUrls`), and `crawl(ctx)` as an async generator that yields
 * `call`/`seen`/`error` items and exactly one `listing` item. Keep the parsing in exported pure
 * functions (`parseXxx(text) → data`) so they can be tested on recordings without HTTP.
 *
 * @example
 * export const mySource: SourceAdapter = {
 *   id: 'skew', name: 'SKEW', defaultBaseUrls: { site: 'https://skew.engagement-global.de' },
 *   async *crawl(ctx) {
 *     const res = await ctx.http.request(`${ctx.baseUrls.site}/programmes.html`);
 *     const calls = parseProgrammes(res.body, ctx.now);
 *     for (const call of calls) yield { type: 'call', call };
 *     yield { type: 'listing', ids: calls.map((c) => c.id), complete: true };
 *   },
 * };
 */
export interface SourceAdapter {
  id: CrawlableSourceId;
  /** Human name, stored in `sources.name`. */
  name: string;
  defaultBaseUrls: Readonly<Record<string, string>>;
  crawl(ctx: CrawlContext): AsyncIterable<CrawlItem>;
  /**
   * Deadlines of a stored call as of `now`, for adapters that derive some from the day of the
   * crawl (a yearly deadline's next date). Called for calls the source lists unchanged, whose
   * page is not read again; undefined means the stored deadlines stand.
   */
  deadlinesAsOf?(call: Call, now: Date): Deadline[];
}
