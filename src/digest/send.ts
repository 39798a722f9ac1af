import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import { subscribers } from '../../db/schema/index.ts';
import type { AppContext } from '../context.ts';
import { composeDigest } from './compose.ts';
import { publicHost } from './links.ts';
import { type DigestContent, isEmpty, itemCount } from './model.ts';
import {
  claim,
  countAttempt,
  type DigestRow,
  duePending,
  findDigest,
  insertDigest,
  MAX_ATTEMPTS,
  markDeferred,
  markFailed,
  markSent,
  markSkipped,
  recoverStaleSending,
} from './outbox.ts';
import { periodOf } from './period.ts';
import { renderDigest } from './render.ts';
import { getSubscriber, type SubscriberRow } from './subscribers.ts';
import { classifyFailure, createMailTransport, type MailTransport, type OutgoingMail } from './transport.ts';
import { subjectOf } from './view.ts';

export interface RunDigestsOptions {
  now?: Date;
  /** Compose and report what would be sent; writes nothing. */
  dryRun?: boolean;
  signal?: AbortSignal;
  transport?: MailTransport;
  /** Tries per run for temporary failures, and the first backoff delay (doubled, with jitter). */
  tries?: number;
  backoffMs?: number;
  /** Consecutive failures to reach the mail server after which the run stops (circuit breaker). */
  breakerLimit?: number;
}

/** After this many consecutive failures to reach the mail server, a run stops and leaves the rest pending. */
export const BREAKER_LIMIT = 3;

export interface RunDigestsReport {
  recoveredUnknown: number;
  created: number;
  skippedEmpty: number;
  sent: number;
  failed: number;
  deferred: number;
  /**
   * Set when the run stopped because the mail server could not be reached `failures` times in a
   * row: `pending` digests were left in the outbox for the next run.
   */
  stopped?: { failures: number; pending: number; error: string };
  preview: {
    subscriberId: number;
    email: string;
    period: string;
    subject: string;
    items: number;
    empty: boolean;
  }[];
}

/** The mail for an outbox row: same Message-ID, headers and content on every attempt. */
export function buildMail(ctx: AppContext, row: DigestRow, s: SubscriberRow, now: Date): OutgoingMail {
  const content = row.content as DigestContent;
  const r = renderDigest(content, now);
  return {
    from: ctx.config.mail.from,
    to: { name: s.name, address: s.email },
    subject: r.subject,
    text: r.text,
    html: r.html,
    messageId: row.messageId,
    headers: {
      'List-Unsubscribe': `<${content.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': `foerdermatch digest <digest.${publicHost(ctx.config)}>`,
      // RFC 3834: no out-of-office replies to an automatic mail.
      'Auto-Submitted': 'auto-generated',
    },
    fileName: `${row.period}_subscriber-${row.subscriberId}_digest-${row.id}.eml`,
  };
}

/** Creates the outbox rows of every active subscriber whose current period has none yet. */
function createDueRows(ctx: AppContext, now: Date, dryRun: boolean, report: RunDigestsReport): void {
  const active = ctx.dbh.db.select().from(subscribers).where(eq(subscribers.active, true)).all();
  const host = publicHost(ctx.config);
  for (const s of active) {
    const period = periodOf(s.cadence, now);
    if (findDigest(ctx.dbh.db, s.id, period.key)) continue;
    const content = composeDigest(ctx, s, period, now);
    const subject = subjectOf(content);
    const empty = isEmpty(content);
    if (dryRun) {
      report.preview.push({
        subscriberId: s.id,
        email: s.email,
        period: period.key,
        subject,
        items: itemCount(content),
        empty,
      });
      continue;
    }
    const state = empty && !ctx.config.mail.sendEmptyDigest ? 'skipped' : 'pending';
    const row = insertDigest(ctx.dbh.db, { subscriberId: s.id, period, content, subject, host }, state, now);
    if (!row) continue;
    if (state === 'skipped') report.skippedEmpty++;
    else report.created++;
  }
}

function backoff(baseMs: number, attempt: number): number {
  return baseMs * 2 ** attempt * (0.75 + Math.random() * 0.5);
}

/** Consecutive failures to reach the server, across rows and attempts; any answer resets it. */
interface Breaker {
  limit: number;
  failures: number;
  lastError: string;
  readonly open: boolean;
}

async function sendRow(
  ctx: AppContext,
  row: DigestRow,
  transport: MailTransport,
  opts: Required<Pick<RunDigestsOptions, 'tries' | 'backoffMs'>> & {
    signal?: AbortSignal;
    now: Date;
    breaker: Breaker;
  },
  report: RunDigestsReport,
): Promise<void> {
  const db = ctx.dbh.db;
  const log = ctx.logger.child({ digest: row.id, period: row.period, subscriber: row.subscriberId });
  const s = getSubscriber(ctx, row.subscriberId);
  if (!s?.active) {
    markSkipped(db, row.id, 'unsubscribed before sending');
    return;
  }
  if (!claim(db, row.id, new Date())) return; // another process has it
  const mail = buildMail(ctx, row, s, opts.now);
  let attempts = row.attempts + 1;
  for (let attempt = 0; ; attempt++) {
    let response: string;
    try {
      response = await transport.deliver(mail);
    } catch (err) {
      const f = classifyFailure(err);
      if (f.unreachable) {
        opts.breaker.failures++;
        opts.breaker.lastError = f.message;
      } else opts.breaker.failures = 0;
      if (f.kind === 'permanent') {
        markFailed(db, row.id, f.message);
        report.failed++;
        log.warn({ error: f.message }, 'digest rejected permanently');
        return;
      }
      if (attempts >= MAX_ATTEMPTS) {
        markFailed(db, row.id, `gave up after ${attempts} attempts: ${f.message}`);
        report.failed++;
        log.warn({ error: f.message, attempts }, 'digest given up');
        return;
      }
      if (attempt + 1 < opts.tries && !opts.signal?.aborted && !opts.breaker.open) {
        log.info({ error: f.message, attempt: attempts }, 'temporary failure, retrying');
        await sleep(backoff(opts.backoffMs, attempt));
        countAttempt(db, row.id);
        attempts++;
        continue;
      }
      const next = new Date(opts.now.getTime() + Math.min(6 * 3_600_000, 60_000 * 2 ** attempts));
      markDeferred(db, row.id, f.message, next);
      report.deferred++;
      log.warn({ error: f.message, next }, 'temporary failure, deferred to a later run');
      return;
    }
    opts.breaker.failures = 0;
    // Accepted: record it before anything else can fail.
    markSent(db, row.id, response, new Date());
    report.sent++;
    log.info({ response, transport: transport.kind }, 'digest sent');
    return;
  }
}

/**
 * Sends what is due: first settles rows a crashed run left in `sending`, then creates this
 * period's outbox rows (composing each digest once), then delivers every pending row.
 * Running it twice in a period sends nothing new: the unique (subscriber, period) row decides.
 */
export async function runDigests(
  ctx: AppContext,
  options: RunDigestsOptions = {},
): Promise<RunDigestsReport> {
  const now = options.now ?? new Date();
  const report: RunDigestsReport = {
    recoveredUnknown: 0,
    created: 0,
    skippedEmpty: 0,
    sent: 0,
    failed: 0,
    deferred: 0,
    preview: [],
  };
  if (!options.dryRun) {
    const stale = recoverStaleSending(ctx.dbh.db, now);
    report.recoveredUnknown = stale.length;
    for (const r of stale)
      ctx.logger.error(
        { digest: r.id, messageId: r.messageId },
        'digest outcome unknown after a crash; not resent',
      );
  }
  createDueRows(ctx, now, options.dryRun === true, report);
  if (options.dryRun) return report;

  const transport = options.transport ?? createMailTransport(ctx.config);
  const breaker: Breaker = {
    limit: options.breakerLimit ?? BREAKER_LIMIT,
    failures: 0,
    lastError: '',
    get open() {
      return this.failures >= this.limit;
    },
  };
  try {
    const due = duePending(ctx.dbh.db, now);
    for (const [i, row] of due.entries()) {
      if (options.signal?.aborted) break;
      await sendRow(
        ctx,
        row,
        transport,
        {
          tries: options.tries ?? 3,
          backoffMs: options.backoffMs ?? 2000,
          signal: options.signal,
          now,
          breaker,
        },
        report,
      );
      if (breaker.open) {
        // The server is down: every further recipient would wait out the same timeouts.
        report.stopped = {
          failures: breaker.failures,
          pending: due.length - i - 1,
          error: breaker.lastError,
        };
        ctx.logger.error(
          report.stopped,
          'mail server unreachable; digest run stopped, the rest stays pending',
        );
        break;
      }
    }
  } finally {
    if (!options.transport) transport.close();
  }
  return report;
}
