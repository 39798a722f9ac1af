import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { composeDigest } from './compose.ts';
import type { DigestContent } from './model.ts';
import { periodOf } from './period.ts';
import { type RenderedDigest, renderDigest } from './render.ts';
import { getSubscriber } from './subscribers.ts';

/** Composes and renders a subscriber's digest for the current period; writes nothing, sends nothing. */
export function previewDigest(
  ctx: AppContext,
  subscriberId: number,
  now = new Date(),
): RenderedDigest & { content: DigestContent } {
  const s = getSubscriber(ctx, subscriberId);
  if (!s) throw new AppError('NOT_FOUND', `No subscriber with id ${subscriberId}.`);
  const content = composeDigest(ctx, s, periodOf(s.cadence, now), now);
  return { ...renderDigest(content, now), content };
}
