import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { callStatuses, deadlineStages, sourceIds } from '../../src/domain/enums.ts';
import { crawlRuns } from './crawl-runs.ts';

/**
 * One row per normalized call. Filterable facts are columns; lists and the raw record are JSON.
 * Rows are never deleted by crawls: a call missing from a complete listing gets `delistedAt`.
 */
export const calls = sqliteTable(
  'calls',
  {
    id: text('id').primaryKey(),
    source: text('source', { enum: sourceIds }).notNull(),
    sourceId: text('source_id').notNull(),
    funder: text('funder'),
    operator: text('operator'),
    programme: text('programme'),
    identifier: text('identifier'),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    description: text('description').notNull().default(''),
    descriptionHtml: text('description_html'),
    url: text('url'),
    language: text('language').notNull().default('en'),
    openingDate: text('opening_date'),
    status: text('status', { enum: callStatuses }).notNull(),
    sourceStatus: text('source_status'),
    /** Earliest deadline still ahead at the last write, else the last one; for sorting and filters. */
    nextDeadline: text('next_deadline'),
    budget: text('budget', { mode: 'json' }),
    fundingRate: real('funding_rate'),
    applicantTypes: text('applicant_types', { mode: 'json' }).$type<string[]>().notNull(),
    applicantsText: text('applicants_text'),
    countries: text('countries', { mode: 'json' }).$type<string[]>().notNull(),
    nuts: text('nuts', { mode: 'json' }).$type<string[]>().notNull(),
    keywords: text('keywords', { mode: 'json' }).$type<string[]>().notNull(),
    notices: text('notices', { mode: 'json' }).$type<string[]>().notNull(),
    fetchedAt: text('fetched_at').notNull(),
    sourceUrl: text('source_url').notNull(),
    contentHash: text('content_hash').notNull(),
    attribution: text('attribution'),
    raw: text('raw', { mode: 'json' }),
    firstSeenAt: text('first_seen_at').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    delistedAt: text('delisted_at'),
    /** The source's cheap change signal from its listing (EU checksum, FDB card hash); decides detail fetches. */
    listFingerprint: text('list_fingerprint'),
  },
  (t) => [
    index('calls_source_idx').on(t.source),
    index('calls_status_idx').on(t.status),
    index('calls_next_deadline_idx').on(t.nextDeadline),
    // The search index's change check reads max(updated_at) after every commit by another
    // process: without it a scan of the wide table (36-105 ms for 20,000 calls) on the next request.
    index('calls_updated_at_idx').on(t.updatedAt),
  ],
);

export const callDeadlines = sqliteTable(
  'call_deadlines',
  {
    callId: text('call_id')
      .notNull()
      .references(() => calls.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    at: text('at').notNull(),
    timeZone: text('time_zone').notNull(),
    raw: text('raw').notNull(),
    stage: text('stage', { enum: deadlineStages }).notNull(),
    label: text('label'),
  },
  (t) => [primaryKey({ columns: [t.callId, t.position] }), index('call_deadlines_at_idx').on(t.at)],
);

/** Field-level history: what changed, from what to what, found by which run. */
export const callChanges = sqliteTable(
  'call_changes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    callId: text('call_id')
      .notNull()
      .references(() => calls.id, { onDelete: 'cascade' }),
    crawlRunId: integer('crawl_run_id').references(() => crawlRuns.id, { onDelete: 'set null' }),
    changedAt: text('changed_at').notNull(),
    field: text('field').notNull(),
    oldValue: text('old_value', { mode: 'json' }),
    newValue: text('new_value', { mode: 'json' }),
  },
  (t) => [index('call_changes_call_idx').on(t.callId), index('call_changes_at_idx').on(t.changedAt)],
);

/**
 * A counter per kind of data, raised by triggers on every write to its tables (migration 0011):
 * `calls` counts writes to calls (their deadlines are written only with them). Caches of what lists show keep the count
 * they were filled at, so that writes elsewhere (a token, feedback, a pursuit) leave them be.
 */
export const changeCounters = sqliteTable('change_counters', {
  name: text('name').primaryKey(),
  n: integer('n').notNull(),
});
