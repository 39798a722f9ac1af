import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { goalPotentials } from '../../src/domain/enums.ts';

export const overarchingGoals = sqliteTable('overarching_goals', {
  key: text('key').primaryKey(),
  position: integer('position').notNull(),
  name: text('name').notNull(),
  shortName: text('short_name').notNull(),
  description: text('description').notNull(),
});

export const strategicGoals = sqliteTable('strategic_goals', {
  key: text('key').primaryKey(),
  position: integer('position').notNull(),
  name: text('name').notNull(),
});

export const actionFields = sqliteTable('action_fields', {
  key: text('key').primaryKey(),
  number: integer('number').notNull(),
  name: text('name').notNull(),
  description: text('description').notNull(),
  goalReference: text('goal_reference').notNull(),
});

export const actionFieldGoalPotentials = sqliteTable(
  'action_field_goal_potentials',
  {
    actionFieldKey: text('action_field_key')
      .notNull()
      .references(() => actionFields.key, { onDelete: 'cascade' }),
    goalKey: text('goal_key')
      .notNull()
      .references(() => overarchingGoals.key, { onDelete: 'cascade' }),
    potential: text('potential', { enum: goalPotentials }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.actionFieldKey, t.goalKey] })],
);

export const measures = sqliteTable('measures', {
  id: text('id').primaryKey(),
  actionFieldKey: text('action_field_key')
    .notNull()
    .references(() => actionFields.key, { onDelete: 'cascade' }),
  number: integer('number').notNull(),
  text: text('text').notNull(),
});

export const partnerCities = sqliteTable('partner_cities', {
  name: text('name').primaryKey(),
  country: text('country').notNull(),
  countryName: text('country_name').notNull(),
  since: integer('since').notNull(),
});

export const friendCities = sqliteTable('friend_cities', {
  name: text('name').primaryKey(),
  country: text('country').notNull(),
  countryName: text('country_name').notNull(),
  note: text('note'),
});

export const networks = sqliteTable('networks', {
  key: text('key').primaryKey(),
  name: text('name').notNull(),
  fullName: text('full_name'),
  membership: text('membership', { enum: ['member', 'considered'] }).notNull(),
});

/** Whole-document facts (city profile, document title) kept as one JSON row per key. */
export const conceptMeta = sqliteTable('concept_meta', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
  contentHash: text('content_hash').notNull(),
  syncedAt: text('synced_at').notNull(),
});
