import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { tokenRoles } from '../../src/domain/enums.ts';

export const apiTokens = sqliteTable('api_tokens', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  role: text('role', { enum: tokenRoles }).notNull(),
  /** SHA-256 of the token; the token itself is shown once at creation and never stored. */
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: text('created_at').notNull(),
  lastUsedAt: text('last_used_at'),
  revokedAt: text('revoked_at'),
});

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    target: text('target'),
    details: text('details', { mode: 'json' }),
  },
  (t) => [index('audit_log_at_idx').on(t.at)],
);
