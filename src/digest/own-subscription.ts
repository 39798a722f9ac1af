import { eq } from 'drizzle-orm';
import { subscriberOwners } from '../../db/schema/index.ts';
import type { TokenPrincipal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { createSubscriber, getSubscriber, type SubscriberRow, updateSubscriber } from './subscribers.ts';

/**
 * "My digest": a signed-in person (an API token) owns at most one subscriber row, linked in
 * `subscriber_owners`. A person sees and changes only their own row; an administrator may open
 * any subscriber (by id). The subscriber rules (concept keys, unique address) are those of
 * src/digest/subscribers.ts, the same as the API's.
 */

/** The subscriber the person owns, if any. */
export function ownSubscriber(ctx: AppContext, tokenId: number): SubscriberRow | undefined {
  const link = ctx.dbh.db.select().from(subscriberOwners).where(eq(subscriberOwners.tokenId, tokenId)).get();
  return link ? getSubscriber(ctx, link.subscriberId) : undefined;
}

/**
 * The subscriber a page request is about: `subscriberId` (administrators only) or the person's
 * own. A reader asking for another id gets FORBIDDEN; an unknown id NOT_FOUND.
 */
export function subscriberFor(
  ctx: AppContext,
  principal: TokenPrincipal,
  subscriberId?: number,
): SubscriberRow | undefined {
  if (subscriberId === undefined) return ownSubscriber(ctx, principal.id);
  const own = ownSubscriber(ctx, principal.id);
  if (own?.id === subscriberId) return own;
  if (principal.role !== 'admin')
    throw new AppError('FORBIDDEN', 'Only administrators manage other subscriptions.');
  const row = getSubscriber(ctx, subscriberId);
  if (!row) throw new AppError('NOT_FOUND', `No subscriber with id ${subscriberId}.`);
  return row;
}

/** Creates the person's subscription and links it, in one transaction; one per person. */
export function subscribeSelf(ctx: AppContext, principal: TokenPrincipal, input: unknown): SubscriberRow {
  return ctx.dbh.sqlite.transaction(() => {
    if (ownSubscriber(ctx, principal.id))
      throw new AppError('CONFLICT', 'You have a subscription already; change it instead.');
    const row = createSubscriber(ctx, input);
    ctx.dbh.db.insert(subscriberOwners).values({ subscriberId: row.id, tokenId: principal.id }).run();
    return row;
  })();
}

/** Changes a subscription the person may manage (own, or any for administrators). */
export function updateSubscription(
  ctx: AppContext,
  principal: TokenPrincipal,
  subscriberId: number,
  patch: unknown,
): SubscriberRow {
  const row = subscriberFor(ctx, principal, subscriberId);
  if (!row) throw new AppError('NOT_FOUND', `No subscriber with id ${subscriberId}.`);
  return updateSubscriber(ctx, row.id, patch);
}
