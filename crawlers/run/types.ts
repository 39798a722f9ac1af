/** Types of a crawl run, shared by `crawlers/run.ts` and its steps under `crawlers/run/`. */
import type { CrawlOutcome } from '../../src/domain/enums.ts';
import type { SourceAdapter } from '../types.ts';

export type CrawlTrigger = 'schedule' | 'cli' | 'api' | 'test';

export interface RunOptions {
  trigger?: CrawlTrigger;
  /** Points every host role of the source at this one server (paths unchanged). */
  baseUrl?: string;
  signal?: AbortSignal;
  /** The run's clock (tests pin it). */
  now?: Date;
  onProgress?: (source: string, label: string, done: number, total?: number) => void;
}

export interface RunSummary {
  runId: number;
  source: SourceAdapter['id'];
  outcome: Exclude<CrawlOutcome, 'running'>;
  startedAt: string;
  finishedAt: string;
  fetched: number;
  listed: number;
  newCount: number;
  changedCount: number;
  unchangedCount: number;
  delistedCount: number;
  errorCount: number;
  errors: Array<{ kind: string; url?: string; message: string }>;
  /** Ids of calls that are new, changed or delisted in this run (for incremental re-matching). */
  touchedIds: string[];
}

/** The running counts of one run, written by its steps and summed up at its end. */
export interface RunTally {
  fetched: number;
  newCount: number;
  changedCount: number;
  unchangedCount: number;
  delistedCount: number;
  errors: RunSummary['errors'];
  touched: string[];
}
