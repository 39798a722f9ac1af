import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { cadences, digestStates, languages } from '../../src/domain/enums.ts';
import { calls } from './calls.ts';

export const subscribers = sqliteTable('subscribers', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  language: text('language', { enum: languages }).notNull().default('de'),
  actionFields: text('action_fields', { mode: 'json' }).$type<string[]>().notNull(),
  measures: text('measures', { mode: 'json' }).$type<string[]>().notNull(),
  minScore: real('min_score').notNull().default(40),
  cadence: text('cadence', { enum: cadences }).notNull().default('weekly'),
  unsubscribeToken: text('unsubscribe_token').notNull().unique(),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  createdAt: text('created_at').notNull(),
  unsubscribedAt: text('unsubscribed_at'),
});

/** The outbox: one row per (subscriber, period); the Message-ID derives from the row. */
export const digests = sqliteTable(
  'digests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    subscriberId: integer('subscriber_id')
      .notNull()
      .references(() => subscribers.id, { onDelete: 'cascade' }),
    period: text('period').notNull(),
    periodStart: text('period_start').notNull(),
    periodEnd: text('period_end').notNull(),
    state: text('state', { enum: digestStates }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    messageId: text('message_id').notNull(),
    subject: text('subject'),
    itemCount: integer('item_count').notNull().default(0),
    createdAt: text('created_at').notNull(),
    sentAt: text('sent_at'),
    /** The composed digest (sections and items) as JSON, so every attempt sends the same mail. */
    content: text('content', { mode: 'json' }),
    /** The SMTP server's acceptance line (or the .eml path), persisted right after acceptance. */
    smtpResponse: text('smtp_response'),
    /** Earliest time of the next attempt after a temporary failure. */
    nextAttemptAt: text('next_attempt_at'),
    /** pid@host of the process that moved the row to 'sending', and when. */
    claimedBy: text('claimed_by'),
    claimedAt: text('claimed_at'),
  },
  (t) => [
    uniqueIndex('digests_subscriber_period').on(t.subscriberId, t.period),
    index('digests_state_idx').on(t.state),
  ],
);

/** What each digest contained, so later digests can report changes to calls already sent. */
export const digestItems = sqliteTable(
  'digest_items',
  {
    digestId: integer('digest_id')
      .notNull()
      .references(() => digests.id, { onDelete: 'cascade' }),
    callId: text('call_id')
      .notNull()
      .references(() => calls.id, { onDelete: 'cascade' }),
    section: text('section', { enum: ['new', 'changed', 'closing-soon'] }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.digestId, t.callId, t.section] })],
);
