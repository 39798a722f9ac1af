import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { crawlOutcomes, sourceIds } from '../../src/domain/enums.ts';

export const sources = sqliteTable('sources', {
  id: text('id', { enum: sourceIds }).primaryKey(),
  name: text('name').notNull(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  /** Count of the last number of items a complete listing returned, to detect partial listings. */
  lastGoodListingCount: integer('last_good_listing_count'),
  /** Resume state of an interrupted run (e.g. remaining detail URLs), JSON. */
  resumeState: text('resume_state', { mode: 'json' }),
  updatedAt: text('updated_at').notNull(),
});

export const crawlRuns = sqliteTable(
  'crawl_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    source: text('source', { enum: sourceIds }).notNull(),
    trigger: text('trigger', { enum: ['schedule', 'cli', 'api', 'test'] })
      .notNull()
      .default('cli'),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
    outcome: text('outcome', { enum: crawlOutcomes }).notNull().default('running'),
    fetched: integer('fetched').notNull().default(0),
    newCount: integer('new_count').notNull().default(0),
    changedCount: integer('changed_count').notNull().default(0),
    unchangedCount: integer('unchanged_count').notNull().default(0),
    delistedCount: integer('delisted_count').notNull().default(0),
    errorCount: integer('error_count').notNull().default(0),
    errors: text('errors', { mode: 'json' }).$type<Array<{ kind: string; url?: string; message: string }>>(),
    /** Process id + host of the runner, so a stale 'running' row left by a killed process is recognised. */
    lockOwner: text('lock_owner'),
    heartbeatAt: text('heartbeat_at'),
  },
  (t) => [index('crawl_runs_source_idx').on(t.source, t.startedAt)],
);

/** Validators for conditional requests (ETag / Last-Modified), kept across runs per URL. */
export const httpCache = sqliteTable('http_cache', {
  url: text('url').primaryKey(),
  etag: text('etag'),
  lastModified: text('last_modified'),
  updatedAt: text('updated_at').notNull(),
});
