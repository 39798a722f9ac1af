import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { apiTokens } from './access.ts';

/**
 * Browser sessions of the web pages. A person signs in with an API token; the session belongs
 * to that token, so revoking the token ends its sessions. Ended sessions are kept a while: the
 * last one's `last_seen_at` is what "new since my last visit" compares against.
 */
export const webSessions = sqliteTable(
  'web_sessions',
  {
    /** SHA-256 of the cookie value; the value itself lives only in the browser. */
    idHash: text('id_hash').primaryKey(),
    tokenId: integer('token_id')
      .notNull()
      .references(() => apiTokens.id, { onDelete: 'cascade' }),
    /** Per-session CSRF secret, sent in each form's hidden field. */
    csrf: text('csrf').notNull(),
    createdAt: text('created_at').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    endedAt: text('ended_at'),
    /** The person's previous visit (last activity of their earlier sessions), fixed at sign-in. */
    previousVisitAt: text('previous_visit_at'),
  },
  (t) => [index('web_sessions_token_idx').on(t.tokenId, t.lastSeenAt)],
);
