import { integer, sqliteTable } from 'drizzle-orm/sqlite-core';
import { apiTokens } from './access.ts';
import { subscribers } from './digests.ts';

/**
 * Which signed-in person (API token) owns which digest subscription, so "My digest" finds the
 * person's own row. At most one subscription per token and one owner per subscription;
 * subscribers created through the API or CLI have no owner until a person subscribes.
 */
export const subscriberOwners = sqliteTable('subscriber_owners', {
  subscriberId: integer('subscriber_id')
    .primaryKey()
    .references(() => subscribers.id, { onDelete: 'cascade' }),
  tokenId: integer('token_id')
    .notNull()
    .unique()
    .references(() => apiTokens.id, { onDelete: 'cascade' }),
});
