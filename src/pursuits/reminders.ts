import type { AppContext } from '../context.ts';
import { publicHost } from '../digest/links.ts';
import { calendarDaysUntil } from '../domain/zoned-time.ts';
import { reminderMail } from './mail.ts';
import { enqueue } from './outbox.ts';
import { readPursuits } from './read.ts';

const DAY = 86_400_000;

/**
 * Queues the reminders that are due: for each pursuit not yet submitted, the call's next
 * deadline, and of the configured lead times (default 28, 7, 2 days) the shortest one that has
 * begun. Its outbox key `reminder:<days>:<deadline>` is unique per pursuit, so each reminder
 * is queued once however often this runs; a lead time that passed while nothing ran is not
 * sent late (the shorter one follows). A moved deadline is a new deadline with its own reminders.
 */
export function queueReminders(ctx: AppContext, now: Date): number {
  const days = [...ctx.config.pursuits.reminderDays].sort((a, b) => a - b);
  if (days.length === 0) return 0;
  const open = readPursuits(
    ctx,
    "p.status in ('beobachtet', 'in_pruefung', 'antrag_in_vorbereitung')",
    [],
    now,
  );
  const host = publicHost(ctx.config);
  let queued = 0;
  for (const p of open) {
    const d = p.call.nextDeadline;
    if (!d) continue;
    const at = Date.parse(d.at);
    if (at < now.getTime()) continue;
    const lead = days.find((n) => at - n * DAY <= now.getTime());
    if (lead === undefined) continue;
    const created = enqueue(
      ctx,
      {
        pursuitId: p.id,
        kind: 'reminder',
        key: `reminder:${lead}:${d.at}`,
        toEmail: p.owner.email,
        // The text says the calendar days actually left, which is less than `lead` when a run was missed.
        content: reminderMail(ctx.config, p, calendarDaysUntil(new Date(d.at), now), now),
        host,
      },
      now,
    );
    if (created) queued++;
  }
  return queued;
}
