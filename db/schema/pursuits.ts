import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { digestStates, languages, pursuitMailKinds, pursuitStatuses } from '../../src/domain/enums.ts';
import { apiTokens } from './access.ts';
import { calls } from './calls.ts';

/** One call the city pursues for one or more measures, owned by a token's person. */
export const pursuits = sqliteTable(
  'pursuits',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    callId: text('call_id')
      .notNull()
      .references(() => calls.id, { onDelete: 'restrict' }),
    ownerTokenId: integer('owner_token_id')
      .notNull()
      .references(() => apiTokens.id, { onDelete: 'restrict' }),
    /** Where reminders and change alerts go; tokens carry no address. */
    ownerEmail: text('owner_email').notNull(),
    ownerLanguage: text('owner_language', { enum: languages }).notNull().default('de'),
    status: text('status', { enum: pursuitStatuses }).notNull().default('beobachtet'),
    /** EUR. */
    amountApplied: real('amount_applied'),
    amountGranted: real('amount_granted'),
    /** Chosen from the concept's partner cities and networks (their names). */
    partners: text('partners', { mode: 'json' }).$type<string[]>().notNull(),
    partnersText: text('partners_text'),
    /** Highest `call_changes.id` already turned into an alert, so each change alerts once. */
    changesSeenId: integer('changes_seen_id').notNull().default(0),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    index('pursuits_call_idx').on(t.callId),
    index('pursuits_owner_idx').on(t.ownerTokenId),
    index('pursuits_status_idx').on(t.status),
  ],
);

export const pursuitMeasures = sqliteTable(
  'pursuit_measures',
  {
    pursuitId: integer('pursuit_id')
      .notNull()
      .references(() => pursuits.id, { onDelete: 'cascade' }),
    measureId: text('measure_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.pursuitId, t.measureId] }),
    index('pursuit_measures_measure_idx').on(t.measureId),
  ],
);

export const pursuitNotes = sqliteTable(
  'pursuit_notes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    pursuitId: integer('pursuit_id')
      .notNull()
      .references(() => pursuits.id, { onDelete: 'cascade' }),
    authorTokenId: integer('author_token_id').references(() => apiTokens.id, { onDelete: 'set null' }),
    author: text('author').notNull(),
    at: text('at').notNull(),
    text: text('text').notNull(),
  },
  (t) => [index('pursuit_notes_pursuit_idx').on(t.pursuitId)],
);

/** Every change of a pursuit: who, when, which field, from what to what. */
export const pursuitHistory = sqliteTable(
  'pursuit_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    pursuitId: integer('pursuit_id')
      .notNull()
      .references(() => pursuits.id, { onDelete: 'cascade' }),
    at: text('at').notNull(),
    actor: text('actor').notNull(),
    field: text('field').notNull(),
    oldValue: text('old_value', { mode: 'json' }),
    newValue: text('new_value', { mode: 'json' }),
  },
  (t) => [index('pursuit_history_pursuit_idx').on(t.pursuitId)],
);

/** Changes of the pursued call shown on the pursuit until its owner marks them seen. */
export const pursuitAlerts = sqliteTable(
  'pursuit_alerts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    pursuitId: integer('pursuit_id')
      .notNull()
      .references(() => pursuits.id, { onDelete: 'cascade' }),
    /** The last `call_changes.id` this alert covers: one alert per pursuit and batch of changes. */
    throughChangeId: integer('through_change_id').notNull(),
    at: text('at').notNull(),
    changes: text('changes', { mode: 'json' }).notNull(),
    seenAt: text('seen_at'),
  },
  (t) => [uniqueIndex('pursuit_alerts_unique').on(t.pursuitId, t.throughChangeId)],
);

/**
 * The pursuits' outbox: reminders and change alerts, with the digest outbox's states and
 * rules (src/digest/outbox.ts). The unique (pursuit, key) row makes each mail happen once:
 * `reminder:<days>:<deadline instant>` or `change:<alert id>`.
 */
export const pursuitMails = sqliteTable(
  'pursuit_mails',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    pursuitId: integer('pursuit_id')
      .notNull()
      .references(() => pursuits.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: pursuitMailKinds }).notNull(),
    key: text('key').notNull(),
    toEmail: text('to_email').notNull(),
    state: text('state', { enum: digestStates }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    messageId: text('message_id').notNull(),
    subject: text('subject').notNull(),
    /** The composed mail (text, html, language) so every attempt sends the same. */
    content: text('content', { mode: 'json' }).notNull(),
    createdAt: text('created_at').notNull(),
    sentAt: text('sent_at'),
    smtpResponse: text('smtp_response'),
    nextAttemptAt: text('next_attempt_at'),
    claimedBy: text('claimed_by'),
    claimedAt: text('claimed_at'),
  },
  (t) => [
    uniqueIndex('pursuit_mails_unique').on(t.pursuitId, t.key),
    index('pursuit_mails_state_idx').on(t.state),
  ],
);
