import { createHash, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { apiTokens, auditLog } from '../../db/schema/index.ts';
import type { TokenRole } from '../domain/enums.ts';
import { dataGeneration, runBookkeeping } from '../sql.ts';

export interface TokenPrincipal {
  id: number;
  name: string;
  role: TokenRole;
}

const PREFIX = 'fm_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates a token; the plain value is returned once and only its hash is stored. */
export function createToken(db: Db, input: { name: string; role: TokenRole }, now = new Date()) {
  const token = PREFIX + randomBytes(24).toString('base64url');
  const row = db
    .insert(apiTokens)
    .values({ name: input.name, role: input.role, tokenHash: hashToken(token), createdAt: now.toISOString() })
    .returning()
    .get();
  return { token, id: row.id, name: row.name, role: row.role };
}

const lookups = new WeakMap<Db, { find: Database.Statement; touch: Database.Statement }>();

interface Verified {
  principal: TokenPrincipal;
  generation: string;
  at: number;
}
/** Verified principals by token hash, per database; see `verifyToken`. */
const verified = new WeakMap<Db, Map<string, Verified>>();
const maxVerified = 1_000;
/** A verified token is looked up again after this long, which also keeps "last used" to the minute. */
const verifiedTtlMs = 60_000;

function client(db: Db): Database.Database {
  return (db as unknown as { $client: Database.Database }).$client;
}

/**
 * The principal for a presented token, or undefined when unknown or revoked.
 *
 * Runs on every API request, so a verified token is remembered (by its hash) for up to a
 * minute — but only while the database is unchanged: any write, such as a revocation by this
 * process or by the CLI in another one, changes the data generation and the next request looks
 * the token up again. Revocation therefore takes effect with the very next request.
 */
export function verifyToken(db: Db, token: string, now = new Date()): TokenPrincipal | undefined {
  if (!token.startsWith(PREFIX)) return undefined;
  const sqlite = client(db);
  const hash = hashToken(token);
  const generation = dataGeneration(sqlite);
  let known = verified.get(db);
  if (!known) {
    known = new Map();
    verified.set(db, known);
  }
  const hit = known.get(hash);
  const t = now.getTime();
  if (hit && hit.generation === generation && t - hit.at < verifiedTtlMs && t >= hit.at) return hit.principal;

  let st = lookups.get(db);
  if (!st) {
    st = {
      find: sqlite.prepare(
        'select id, name, role, last_used_at as lastUsedAt, revoked_at as revokedAt from api_tokens where token_hash = ?',
      ),
      touch: sqlite.prepare('update api_tokens set last_used_at = ? where id = ?'),
    };
    lookups.set(db, st);
  }
  const row = st.find.get(hash) as
    | { id: number; name: string; role: TokenRole; lastUsedAt: string | null; revokedAt: string | null }
    | undefined;
  if (!row || row.revokedAt) {
    known.delete(hash);
    return undefined;
  }
  // "Last used" to the minute is enough; a write per request would cost more than the request.
  // It is bookkeeping: it must not void the caches of everything else.
  if (!row.lastUsedAt || t - Date.parse(row.lastUsedAt) >= 60_000) {
    runBookkeeping(sqlite, st.touch, now.toISOString(), row.id);
  }
  const principal = { id: row.id, name: row.name, role: row.role };
  if (known.size >= maxVerified) known.clear();
  known.set(hash, { principal, generation, at: t });
  return principal;
}

export function listTokens(db: Db) {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      role: apiTokens.role,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .orderBy(desc(apiTokens.id))
    .all();
}

/** Revokes by id; returns false when there is no such active token. */
export function revokeToken(db: Db, id: number, now = new Date()): boolean {
  const row = db.select().from(apiTokens).where(eq(apiTokens.id, id)).get();
  if (!row || row.revokedAt) return false;
  db.update(apiTokens).set({ revokedAt: now.toISOString() }).where(eq(apiTokens.id, id)).run();
  return true;
}

/** Appends to the audit log: who did what to which target. */
export function audit(
  db: Db,
  entry: { actor: string; action: string; target?: string; details?: unknown },
  now = new Date(),
): void {
  db.insert(auditLog)
    .values({
      at: now.toISOString(),
      actor: entry.actor,
      action: entry.action,
      target: entry.target ?? null,
      details: entry.details ?? null,
    })
    .run();
}
