import { notInArray } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../db/client.ts';
import {
  actionFieldGoalPotentials,
  actionFields,
  conceptMeta,
  friendCities,
  measures,
  networks,
  overarchingGoals,
  partnerCities,
  strategicGoals,
} from '../../db/schema/index.ts';
import type { LoadedConcept } from './load.ts';

export interface SyncResult {
  changed: boolean;
  actionFields: number;
  measures: number;
}

/**
 * Writes the concept into the database with its own keys as stable ids. Idempotent: an unchanged
 * file is a no-op; a changed one updates rows in place and removes what the file no longer has.
 */
export function syncConcept(db: Db, loaded: LoadedConcept, now = new Date()): SyncResult {
  const { concept, hash } = loaded;
  const counts = {
    actionFields: concept.actionFields.length,
    measures: concept.actionFields.reduce((n, f) => n + f.measures.length, 0),
  };
  const current = db.select().from(conceptMeta).all();
  if (current.length > 0 && current.every((r) => r.contentHash === hash))
    return { changed: false, ...counts };

  const at = now.toISOString();
  db.transaction((tx) => {
    const upsert = <T extends Record<string, unknown>>(
      // biome-ignore lint/suspicious/noExplicitAny: drizzle's table generics are not worth spelling out here
      table: any,
      target: SQLiteColumn,
      rows: T[],
    ) => {
      for (const row of rows) {
        tx.insert(table).values(row).onConflictDoUpdate({ target, set: row }).run();
      }
    };

    upsert(
      overarchingGoals,
      overarchingGoals.key,
      concept.overarchingGoals.map((g, i) => ({ ...g, position: i + 1 })),
    );
    upsert(
      strategicGoals,
      strategicGoals.key,
      concept.strategicGoals.map((g, i) => ({ ...g, position: i + 1 })),
    );
    upsert(
      actionFields,
      actionFields.key,
      concept.actionFields.map((f) => ({
        key: f.key,
        number: f.number,
        name: f.name,
        description: f.description,
        goalReference: f.goalReference,
      })),
    );
    tx.delete(actionFieldGoalPotentials).run();
    for (const f of concept.actionFields) {
      for (const [goalKey, potential] of Object.entries(f.goalPotential)) {
        tx.insert(actionFieldGoalPotentials).values({ actionFieldKey: f.key, goalKey, potential }).run();
      }
    }
    upsert(
      measures,
      measures.id,
      concept.actionFields.flatMap((f) =>
        f.measures.map((m) => ({ id: m.id, actionFieldKey: f.key, number: m.number, text: m.text })),
      ),
    );
    upsert(partnerCities, partnerCities.name, concept.partnerCities);
    upsert(
      friendCities,
      friendCities.name,
      concept.friendCities.map((c) => ({ ...c, note: c.note ?? null })),
    );
    upsert(
      networks,
      networks.key,
      concept.networks.map((n) => ({ ...n, fullName: n.fullName ?? null })),
    );

    // Remove what the file no longer names (children first, foreign keys are on).
    const measureIds = concept.actionFields.flatMap((f) => f.measures.map((m) => m.id));
    tx.delete(measures).where(notInArray(measures.id, measureIds)).run();
    tx.delete(actionFields)
      .where(
        notInArray(
          actionFields.key,
          concept.actionFields.map((f) => f.key),
        ),
      )
      .run();
    tx.delete(overarchingGoals)
      .where(
        notInArray(
          overarchingGoals.key,
          concept.overarchingGoals.map((g) => g.key),
        ),
      )
      .run();
    tx.delete(strategicGoals)
      .where(
        notInArray(
          strategicGoals.key,
          concept.strategicGoals.map((g) => g.key),
        ),
      )
      .run();
    tx.delete(partnerCities)
      .where(
        notInArray(
          partnerCities.name,
          concept.partnerCities.map((c) => c.name),
        ),
      )
      .run();
    tx.delete(friendCities)
      .where(
        notInArray(
          friendCities.name,
          concept.friendCities.map((c) => c.name),
        ),
      )
      .run();
    tx.delete(networks)
      .where(
        notInArray(
          networks.key,
          concept.networks.map((n) => n.key),
        ),
      )
      .run();

    const meta = {
      document: concept.document,
      city: concept.city,
      futurePartnerCities: concept.futurePartnerCities,
    };
    tx.delete(conceptMeta).run();
    for (const [k, value] of Object.entries(meta)) {
      tx.insert(conceptMeta).values({ key: k, value, contentHash: hash, syncedAt: at }).run();
    }
  });
  return { changed: true, ...counts };
}
