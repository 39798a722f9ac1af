import { createHash, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { apiTokens, auditLog } from '../../db/schema/index.ts';
import type { TokenRole } from '../domain/enums.ts';

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

const lookups = new WeakMap<Db, Database.Statement>();

/** The principal for a presented token, or undefined when unknown or revoked. */
export function verifyToken(db: Db, token: string, now = new Date()): TokenPrincipal | undefined {
  if (!token.startsWith(PREFIX)) return undefined;
  // Runs on every API request: a prepared statement, not a query built each time.
  let stmt = lookups.get(db);
  if (!stmt) {
    const client = (db as unknown as { $client: Database.Database }).$client;
    stmt = client.prepare(
      'select id, name, role, last_used_at as lastUsedAt, revoked_at as revokedAt from api_tokens where token_hash = ?',
    );
    lookups.set(db, stmt);
  }
  const row = stmt!.get(hashToken(token)) as
    | { id: number; name: string; role: TokenRole; lastUsedAt: string | null; revokedAt: string | null }
    | undefined;
  if (!row || row.revokedAt) return undefined;
  // "Last used" to the minute is enough; a write per request would cost more than the request.
  if (!row.lastUsedAt || now.getTime() - Date.parse(row.lastUsedAt) >= 60_000) {
    db.update(apiTokens).set({ lastUsedAt: now.toISOString() }).where(eq(apiTokens.id, row.id)).run();
  }
  return { id: row.id, name: row.name, role: row.role };
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
