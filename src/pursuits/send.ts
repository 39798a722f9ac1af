import type { AppContext } from '../context.ts';
import {
  classifyFailure,
  createMailTransport,
  type MailTransport,
  type OutgoingMail,
} from '../digest/transport.ts';
import { scanCallChanges } from './alerts.ts';
import {
  claim,
  duePursuitMails,
  MAX_ATTEMPTS,
  markDeferred,
  markFailed,
  markSent,
  type PursuitMailRow,
  recoverStaleSending,
} from './outbox.ts';
import { queueReminders } from './reminders.ts';

export interface PursuitMailReport {
  recoveredUnknown: number;
  alerts: number;
  reminders: number;
  sent: number;
  failed: number;
  deferred: number;
}

function mailOf(ctx: AppContext, row: PursuitMailRow): OutgoingMail {
  return {
    from: ctx.config.mail.from,
    to: { name: '', address: row.toEmail },
    subject: row.content.subject,
    text: row.content.text,
    html: row.content.html,
    messageId: row.messageId,
    headers: { 'Auto-Submitted': 'auto-generated' },
    fileName: `pursuit-${row.pursuitId}_mail-${row.id}_${row.kind}.eml`,
  };
}

/**
 * The pursuits' mail run: settles rows a crashed run left in `sending`, turns new call changes
 * into alerts, queues due reminders, then delivers every pending row once (one SMTP attempt per
 * row and run; a temporary failure waits for a later run, a permanent one fails the row).
 */
export async function runPursuitMails(
  ctx: AppContext,
  options: { now?: Date; transport?: MailTransport; signal?: AbortSignal } = {},
): Promise<PursuitMailReport> {
  const now = options.now ?? new Date();
  const report: PursuitMailReport = {
    recoveredUnknown: 0,
    alerts: 0,
    reminders: 0,
    sent: 0,
    failed: 0,
    deferred: 0,
  };
  const stale = recoverStaleSending(ctx, now);
  report.recoveredUnknown = stale.length;
  for (const r of stale)
    ctx.logger.error(
      { pursuitMail: r.id, messageId: r.messageId },
      'pursuit mail outcome unknown after a crash; not resent',
    );
  report.alerts = scanCallChanges(ctx, now);
  report.reminders = queueReminders(ctx, now);
  const due = duePursuitMails(ctx, now);
  if (due.length === 0) return report;
  const transport = options.transport ?? createMailTransport(ctx.config);
  try {
    for (const row of due) {
      if (options.signal?.aborted) break;
      if (!claim(ctx, row.id, new Date())) continue;
      try {
        const response = await transport.deliver(mailOf(ctx, row));
        // Accepted: record it before anything else can fail.
        markSent(ctx, row.id, response, new Date());
        report.sent++;
      } catch (err) {
        const f = classifyFailure(err);
        const attempts = row.attempts + 1;
        if (f.kind === 'permanent' || attempts >= MAX_ATTEMPTS) {
          markFailed(
            ctx,
            row.id,
            f.kind === 'permanent' ? f.message : `gave up after ${attempts} attempts: ${f.message}`,
          );
          report.failed++;
        } else {
          markDeferred(
            ctx,
            row.id,
            f.message,
            new Date(now.getTime() + Math.min(6 * 3_600_000, 60_000 * 2 ** attempts)),
          );
          report.deferred++;
        }
        ctx.logger.warn(
          { pursuitMail: row.id, error: f.message, kind: f.kind },
          'pursuit mail not delivered',
        );
      }
    }
  } finally {
    if (!options.transport) transport.close();
  }
  return report;
}
