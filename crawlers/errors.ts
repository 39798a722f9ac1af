/**
 * Typed crawl errors. The kind says what went wrong; the class decides what happens next
 * (after crawlee's error classes):
 * - `retryable`: network trouble or a 5xx; the HTTP client retries with backoff before it throws.
 * - `non-retryable`: one record cannot be had (a 404, one bad JSON record); the run goes on,
 *   counts the error and ends `partial`.
 * - `throttled`: the server asked us to slow down for longer than we are willing to wait.
 * - `critical`: a block page, robots.txt disallow, a layout no longer recognised, a redirect
 *   off the source's hosts on a listing: the source's run is aborted.
 */
export type CrawlErrorKind =
  | 'http'
  | 'network'
  | 'timeout'
  | 'parse'
  | 'blocked'
  | 'robots'
  | 'layout'
  | 'redirect';

export type CrawlErrorClass = 'retryable' | 'non-retryable' | 'throttled' | 'critical';

const defaultClass: Record<CrawlErrorKind, CrawlErrorClass> = {
  http: 'non-retryable',
  network: 'retryable',
  timeout: 'retryable',
  parse: 'non-retryable',
  blocked: 'critical',
  robots: 'critical',
  layout: 'critical',
  redirect: 'non-retryable',
};

export class CrawlError extends Error {
  readonly kind: CrawlErrorKind;
  readonly errorClass: CrawlErrorClass;
  readonly url: string | undefined;
  readonly status: number | undefined;

  constructor(
    kind: CrawlErrorKind,
    message: string,
    options: { url?: string; status?: number; errorClass?: CrawlErrorClass; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'CrawlError';
    this.kind = kind;
    this.url = options.url;
    this.status = options.status;
    this.errorClass = options.errorClass ?? defaultClass[kind];
  }

  get critical(): boolean {
    return this.errorClass === 'critical';
  }

  /** The record stored in `crawl_runs.errors`. */
  toRecord(): { kind: string; url?: string; message: string } {
    return { kind: this.kind, ...(this.url ? { url: this.url } : {}), message: this.message };
  }
}

export function isCrawlError(err: unknown): err is CrawlError {
  return err instanceof CrawlError;
}

/** Wraps anything thrown into a CrawlError so run records always have a kind. */
export function toCrawlError(err: unknown, url?: string): CrawlError {
  if (isCrawlError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  // Not from the HTTP client: a bug or an unexpected shape; it aborts the run as a parse failure.
  return new CrawlError('parse', message, { ...(url ? { url } : {}), cause: err, errorClass: 'critical' });
}
