import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Db } from '../../db/client.ts';
import type { TokenPrincipal } from '../auth/tokens.ts';
import type { TokenRole } from '../domain/enums.ts';
import { cached, runBookkeeping } from '../sql.ts';

/** A session lasts this long from sign-in; signing out or revoking the token ends it earlier. */
export const SESSION_TTL_MS = 14 * 24 * 3600_000;
/** Ended and expired sessions are kept this long (the last visit is read from them), then pruned. */
const KEEP_ENDED_MS = 180 * 24 * 3600_000;

export interface WebSession {
  idHash: string;
  csrf: string;
  principal: TokenPrincipal;
  createdAt: string;
  /** The person's previous visit, fixed at sign-in; undefined on the first. */
  previousVisitAt?: string;
}

function sqliteOf(db: Db): Database.Database {
  return (db as unknown as { $client: Database.Database }).$client;
}

const hash = (value: string) => createHash('sha256').update(value).digest('hex');
export const randomSecret = () => randomBytes(32).toString('base64url');

/**
 * Opens a session for a verified token and returns the cookie value (shown to the browser only).
 * Session rows change nothing a cached API answer shows, so they are written as bookkeeping.
 */
export function createSession(db: Db, tokenId: number, now = new Date()): { cookie: string; csrf: string } {
  const sqlite = sqliteOf(db);
  const cookie = randomSecret();
  const csrf = randomSecret();
  const at = now.toISOString();
  const previous = cached(sqlite, 'select max(last_seen_at) from web_sessions where token_id = ?')
    .pluck()
    .get(tokenId) as string | null;
  runBookkeeping(
    sqlite,
    cached(
      sqlite,
      `insert into web_sessions (id_hash, token_id, csrf, created_at, last_seen_at, expires_at, previous_visit_at)
       values (?, ?, ?, ?, ?, ?, ?)`,
    ),
    hash(cookie),
    tokenId,
    csrf,
    at,
    at,
    new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
    previous,
  );
  runBookkeeping(
    sqlite,
    cached(sqlite, 'delete from web_sessions where expires_at < ?'),
    new Date(now.getTime() - KEEP_ENDED_MS).toISOString(),
  );
  return { cookie, csrf };
}

interface SessionRow {
  idHash: string;
  csrf: string;
  createdAt: string;
  lastSeenAt: string;
  previousVisitAt: string | null;
  tokenId: number;
  name: string;
  role: TokenRole;
}

/**
 * The live session for a cookie value: not signed out, not expired, and its token not revoked
 * (checked on every request, so a revocation ends the session at once).
 */
export function findSession(db: Db, cookie: string, now = new Date()): WebSession | undefined {
  if (cookie.length < 20 || cookie.length > 100) return undefined;
  const sqlite = sqliteOf(db);
  const at = now.toISOString();
  const row = cached(
    sqlite,
    `select s.id_hash as idHash, s.csrf, s.created_at as createdAt, s.last_seen_at as lastSeenAt,
            s.previous_visit_at as previousVisitAt, t.id as tokenId, t.name, t.role
       from web_sessions s join api_tokens t on t.id = s.token_id
      where s.id_hash = ? and s.ended_at is null and s.expires_at > ? and t.revoked_at is null`,
  ).get(hash(cookie), at) as SessionRow | undefined;
  if (!row) return undefined;
  // Last seen to the minute is enough for "new since my last visit".
  if (now.getTime() - Date.parse(row.lastSeenAt) >= 60_000) {
    runBookkeeping(
      sqlite,
      cached(sqlite, 'update web_sessions set last_seen_at = ? where id_hash = ?'),
      at,
      row.idHash,
    );
  }
  return {
    idHash: row.idHash,
    csrf: row.csrf,
    createdAt: row.createdAt,
    principal: { id: row.tokenId, name: row.name, role: row.role },
    ...(row.previousVisitAt ? { previousVisitAt: row.previousVisitAt } : {}),
  };
}

/** Signs out: the row stays (its last-seen time is the next "previous visit") but no longer counts. */
export function endSession(db: Db, idHash: string, now = new Date()): void {
  const sqlite = sqliteOf(db);
  runBookkeeping(
    sqlite,
    cached(sqlite, 'update web_sessions set ended_at = ? where id_hash = ? and ended_at is null'),
    now.toISOString(),
    idHash,
  );
}

/** Constant-time comparison of a submitted CSRF value with the expected one. */
export function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
