import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { ICalAlarmType, ICalCalendarMethod, ICalEventTransparency } from 'ical-generator';
import type { AppContext } from '../context.ts';
import { safeUrl } from '../digest/html.ts';
import { callPageUrl, publicHost } from '../digest/links.ts';
import { localDateTime } from '../domain/zoned-time.ts';
import { addPursuitEvents, type CalendarPursuits } from './calendar-pursuits.ts';
import { type FeedQuery, selectMatchingCalls } from './selection.ts';

const DAY = 86_400;

/**
 * One event per deadline of the matching open (or forthcoming) calls, in the zone the
 * deadline was published in (a VTIMEZONE per zone used), with alarms 14 and 2 days ahead.
 * UIDs derive from call id and deadline position, so a moved deadline replaces its event.
 * Pursuits not yet submitted add their own events (src/feeds/calendar-pursuits.ts).
 */
export function buildCalendar(
  ctx: AppContext,
  q: FeedQuery & { pursuits?: CalendarPursuits },
  now = new Date(),
  viewer?: { tokenId: number },
): string {
  const host = publicHost(ctx.config);
  const cal = ical({
    name: 'foerdermatch – Fristen / deadlines',
    description: 'Fristen passender Förderaufrufe / deadlines of matching funding calls',
    prodId: { company: 'foerdermatch', product: 'deadlines', language: 'DE' },
    method: ICalCalendarMethod.PUBLISH,
    timezone: { name: 'Europe/Berlin', generator: getVtimezoneComponent },
    ttl: 6 * 3600,
  });
  const selected = selectMatchingCalls(ctx, q, ['open', 'forthcoming']).sort((a, b) =>
    a.call.id.localeCompare(b.call.id),
  );
  for (const s of selected) {
    s.call.deadlines.forEach((d, position) => {
      const label = d.label ? ` (${d.label})` : '';
      const pageUrl = callPageUrl(ctx.config, s.call.id);
      cal.createEvent({
        id: `deadline-${encodeURIComponent(s.call.id)}-${position}@${host}`,
        // Wall-clock time plus TZID: ical-generator would format a Date in the host's zone.
        start: localDateTime(new Date(d.at), d.timeZone),
        timezone: d.timeZone,
        stamp: now,
        summary: `Frist / Deadline: ${s.call.title}${label}`,
        description: [
          s.call.programme,
          `Passung / fit ${s.score}/100 – ${s.reason}`,
          s.eligibility === 'unclear' ? 'Antragsberechtigung unklar / eligibility unclear' : undefined,
          `Veröffentlicht / published: ${d.raw}`,
          safeUrl(s.call.url),
          pageUrl,
        ]
          .filter(Boolean)
          .join('\n'),
        url: safeUrl(s.call.url) ?? pageUrl,
        transparency: ICalEventTransparency.TRANSPARENT,
        alarms: [
          {
            type: ICalAlarmType.display,
            trigger: 14 * DAY,
            description: `In 14 Tagen / in 14 days: ${s.call.title}`,
          },
          {
            type: ICalAlarmType.display,
            trigger: 2 * DAY,
            description: `In 2 Tagen / in 2 days: ${s.call.title}`,
          },
        ],
      });
    });
  }
  addPursuitEvents(ctx, cal, q, q.pursuits ?? 'all', viewer, host, now);
  return cal.toString();
}
