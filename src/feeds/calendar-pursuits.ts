import type { ICalCalendar } from 'ical-generator';
import { ICalAlarmType, ICalEventTransparency } from 'ical-generator';
import { z } from 'zod';
import { conceptIndex } from '../concept/load.ts';
import type { AppContext } from '../context.ts';
import { safeUrl } from '../digest/html.ts';
import { localDateTime } from '../domain/zoned-time.ts';
import { deadlinesOf, readPursuits } from '../pursuits/read.ts';
import { statusLabels } from '../pursuits/status.ts';
import type { FeedQuery } from './selection.ts';

export const calendarPursuitsSchema = z
  .enum(['all', 'mine', 'none'])
  .default('all')
  .describe('pursuits not yet submitted: all (default), only the token’s own, or none');
export type CalendarPursuits = z.infer<typeof calendarPursuitsSchema>;

const DAY = 86_400;

/**
 * One event per deadline of each pursued call whose pursuit is not yet submitted, with alarms
 * at the reminder lead times. With action fields or measures in the query only pursuits of
 * those measures. UIDs derive from pursuit and deadline position, so a moved deadline
 * replaces its event and a submitted pursuit's events disappear.
 */
export function addPursuitEvents(
  ctx: AppContext,
  cal: ICalCalendar,
  q: FeedQuery,
  which: CalendarPursuits,
  viewer: { tokenId: number } | undefined,
  host: string,
  now: Date,
): void {
  if (which === 'none') return;
  const idx = conceptIndex(ctx.concept.concept);
  const targets = new Set([
    ...q.measure,
    ...q.actionField.flatMap((f) => idx.fields.get(f)?.measures.map((m) => m.id) ?? []),
  ]);
  const where = ["p.status in ('beobachtet', 'in_pruefung', 'antrag_in_vorbereitung')"];
  const args: unknown[] = [];
  if (which === 'mine') {
    where.push('p.owner_token_id = ?');
    args.push(viewer?.tokenId ?? -1);
  }
  const pursuits = readPursuits(ctx, where.join(' and '), args, now).filter(
    (p) => targets.size === 0 || p.measures.some((m) => targets.has(m)),
  );
  const deadlines = deadlinesOf(
    ctx,
    pursuits.map((p) => p.call.id),
  );
  for (const p of pursuits) {
    const url = `${ctx.config.publicBaseUrl}/api/pursuits/${p.id}`;
    (deadlines.get(p.call.id) ?? []).forEach((d, position) => {
      cal.createEvent({
        id: `pursuit-${p.id}-deadline-${position}@${host}`,
        start: localDateTime(new Date(d.at), d.timeZone),
        timezone: d.timeZone,
        stamp: now,
        summary: `Vorhaben / Pursuit: ${p.call.title}${d.label ? ` (${d.label})` : ''} – ${statusLabels.de[p.status]}`,
        description: [
          `Stand / status: ${statusLabels.de[p.status]} / ${statusLabels.en[p.status]}`,
          `Maßnahmen / measures: ${p.measures.join(', ')}`,
          `Verantwortlich / owner: ${p.owner.name}`,
          `Veröffentlicht / published: ${d.raw}`,
          safeUrl(p.call.url ?? undefined),
          url,
        ]
          .filter(Boolean)
          .join('\n'),
        url,
        transparency: ICalEventTransparency.TRANSPARENT,
        alarms: ctx.config.pursuits.reminderDays.map((days) => ({
          type: ICalAlarmType.display,
          trigger: days * DAY,
          description: `In ${days} Tagen / in ${days} days: ${p.call.title}`,
        })),
      });
    });
  }
}
