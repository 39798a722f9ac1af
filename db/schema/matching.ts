import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { eligibilities, verdicts } from '../../src/domain/enums.ts';
import { apiTokens } from './access.ts';
import { calls } from './calls.ts';

export const ruleSetVersions = sqliteTable('rule_set_versions', {
  version: integer('version').primaryKey(),
  createdAt: text('created_at').notNull(),
  author: text('author').notNull(),
  comment: text('comment').notNull(),
  rules: text('rules', { mode: 'json' }).notNull(),
  /** Version this one was restored from, for rollbacks. */
  restoredFrom: integer('restored_from'),
  active: integer('active', { mode: 'boolean' }).notNull().default(false),
});

/** One row per (call, target); target is an action field key or a measure id. */
export const matches = sqliteTable(
  'matches',
  {
    callId: text('call_id')
      .notNull()
      .references(() => calls.id, { onDelete: 'cascade' }),
    target: text('target').notNull(),
    targetKind: text('target_kind', { enum: ['action-field', 'measure'] }).notNull(),
    score: real('score').notNull(),
    eligibility: text('eligibility', { enum: eligibilities }).notNull(),
    /** One line on why, German; `reason_en` the same in English. The full explanation is made on read. */
    reason: text('reason').notNull(),
    reasonEn: text('reason_en').notNull().default(''),
    ruleVersion: integer('rule_version').notNull(),
    matchedAt: text('matched_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.callId, t.target] }),
    // Ranked lists per target read eligible, then unclear calls, each by score: in index order.
    index('matches_target_eligibility_score_idx').on(t.target, t.eligibility, t.score, t.callId),
  ],
);

/**
 * Calls new or changed (content, or dropped from their source's listing) since their last
 * match, with the content hash that was stored. The matcher deletes a call's row once it matched
 * that content. A table of its own: clearing a flag in `calls` rewrote a long row per call.
 */
export const matchQueue = sqliteTable('match_queue', {
  callId: text('call_id')
    .primaryKey()
    .references(() => calls.id, { onDelete: 'cascade' }),
  contentHash: text('content_hash').notNull(),
});

/**
 * Per call: a signature of everything its match rows were computed from (call content, the
 * fired rules' definitions, the target profiles, scores, days to the deadline). A re-match
 * skips a call whose signature is unchanged, and rewrites only the rows that differ.
 */
export const matchState = sqliteTable('match_state', {
  callId: text('call_id')
    .primaryKey()
    .references(() => calls.id, { onDelete: 'cascade' }),
  signature: integer('signature').notNull(),
});

export const feedback = sqliteTable(
  'feedback',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    callId: text('call_id')
      .notNull()
      .references(() => calls.id, { onDelete: 'cascade' }),
    target: text('target').notNull(),
    tokenId: integer('token_id')
      .notNull()
      .references(() => apiTokens.id, { onDelete: 'cascade' }),
    verdict: text('verdict', { enum: verdicts }).notNull(),
    comment: text('comment'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('feedback_unique').on(t.callId, t.target, t.tokenId),
    index('feedback_target_idx').on(t.target),
  ],
);
