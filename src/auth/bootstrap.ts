import { count } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { apiTokens } from '../../db/schema/index.ts';
import { createToken } from './tokens.ts';

/**
 * On a brand-new installation there is no way to call the API yet: create one admin token
 * and hand it to the operator once. Never happens again once any token exists.
 */
export function ensureBootstrapToken(db: Db): string | undefined {
  const row = db.select({ n: count() }).from(apiTokens).get();
  if ((row?.n ?? 0) > 0) return undefined;
  return createToken(db, { name: 'bootstrap-admin', role: 'admin' }).token;
}
