import type { AppContext } from '../context.ts';
import { MAX_ATTEMPTS, ownerAlive, processTag, STALE_SENDING_MS } from '../digest/outbox.ts';
import type { DigestState, PursuitMailKind } from '../domain/enums.ts';
import type { PursuitMailContent } from './mail.ts';

/**
 * The pursuits' outbox (table `pursuit_mails`), with the digest outbox's states and rules
 * (src/digest/outbox.ts): one row per (pursuit, key) decided by a unique index; claim by
 * compare-and-set; the acceptance recorded before anything else; a row left in `sending` by a
 * dead process becomes `failed` with DELIVERY_UNKNOWN and is never resent automatically.
 */
export interface PursuitMailRow {
  id: number;
  pursuitId: number;
  kind: PursuitMailKind;
  key: string;
  toEmail: string;
  state: DigestState;
  attempts: number;
  lastError: string | null;
  messageId: string;
  subject: string;
  content: PursuitMailContent;
  createdAt: string;
  sentAt: string | null;
  nextAttemptAt: string | null;
  claimedBy: string | null;
}

export { MAX_ATTEMPTS };

const columns = `id, pursuit_id as pursuitId, kind, key, to_email as toEmail, state, attempts, last_error as lastError,
  message_id as messageId, subject, content, created_at as createdAt, sent_at as sentAt,
  next_attempt_at as nextAttemptAt, claimed_by as claimedBy, claimed_at as claimedAt`;

function parse(r: Record<string, unknown>): PursuitMailRow {
  return { ...(r as unknown as PursuitMailRow), content: JSON.parse(String(r.content)) };
}

export function messageIdFor(pursuitId: number, key: string, host: string): string {
  return `<pursuit-${pursuitId}-${key.replace(/[^A-Za-z0-9.-]/g, '')}@${host}>`;
}

/** Inserts the mail unless its (pursuit, key) row exists; true when this call created it. */
export function enqueue(
  ctx: AppContext,
  m: {
    pursuitId: number;
    kind: PursuitMailKind;
    key: string;
    toEmail: string;
    content: PursuitMailContent;
    host: string;
  },
  now: Date,
): boolean {
  return (
    ctx.dbh.sqlite
      .prepare(
        `insert into pursuit_mails (pursuit_id, kind, key, to_email, state, message_id, subject, content, created_at)
         values (?, ?, ?, ?, 'pending', ?, ?, ?, ?) on conflict do nothing`,
      )
      .run(
        m.pursuitId,
        m.kind,
        m.key,
        m.toEmail,
        messageIdFor(m.pursuitId, m.key, m.host),
        m.content.subject,
        JSON.stringify(m.content),
        now.toISOString(),
      ).changes === 1
  );
}

export function duePursuitMails(ctx: AppContext, now: Date): PursuitMailRow[] {
  return (
    ctx.dbh.sqlite
      .prepare(
        `select ${columns} from pursuit_mails where state = 'pending'
         and (next_attempt_at is null or next_attempt_at <= ?) order by id`,
      )
      .all(now.toISOString()) as Record<string, unknown>[]
  ).map(parse);
}

export function listPursuitMails(ctx: AppContext, pursuitId?: number): PursuitMailRow[] {
  return (
    ctx.dbh.sqlite
      .prepare(
        `select ${columns} from pursuit_mails ${pursuitId === undefined ? '' : 'where pursuit_id = ?'} order by id`,
      )
      .all(...(pursuitId === undefined ? [] : [pursuitId])) as Record<string, unknown>[]
  ).map(parse);
}

/** pending → sending, counting the attempt; false when another process claimed it first. */
export function claim(ctx: AppContext, id: number, now: Date): boolean {
  return (
    ctx.dbh.sqlite
      .prepare(
        `update pursuit_mails set state = 'sending', claimed_by = ?, claimed_at = ?, attempts = attempts + 1
         where id = ? and state = 'pending'`,
      )
      .run(processTag, now.toISOString(), id).changes === 1
  );
}

export function markSent(ctx: AppContext, id: number, response: string, now: Date): void {
  ctx.dbh.sqlite
    .prepare(
      `update pursuit_mails set state = 'sent', sent_at = ?, smtp_response = ?, last_error = null,
       next_attempt_at = null where id = ?`,
    )
    .run(now.toISOString(), response, id);
}

export function markFailed(ctx: AppContext, id: number, error: string): void {
  ctx.dbh.sqlite
    .prepare(`update pursuit_mails set state = 'failed', last_error = ?, next_attempt_at = null where id = ?`)
    .run(error, id);
}

export function markDeferred(ctx: AppContext, id: number, error: string, next: Date): void {
  ctx.dbh.sqlite
    .prepare(`update pursuit_mails set state = 'pending', last_error = ?, next_attempt_at = ? where id = ?`)
    .run(error, next.toISOString(), id);
}

/** Rows a dead process left in `sending`: failed, "outcome unknown", never resent. */
export function recoverStaleSending(ctx: AppContext, now: Date): PursuitMailRow[] {
  const rows = (
    ctx.dbh.sqlite.prepare(`select ${columns} from pursuit_mails where state = 'sending'`).all() as Record<
      string,
      unknown
    >[]
  ).map(parse);
  const stale = rows.filter((r) => {
    const alive = ownerAlive(r.claimedBy);
    if (alive === false) return true;
    const claimedAt = (r as unknown as { claimedAt: string | null }).claimedAt;
    return now.getTime() - Date.parse(claimedAt ?? r.createdAt) > STALE_SENDING_MS;
  });
  const upd = ctx.dbh.sqlite.prepare(
    `update pursuit_mails set state = 'failed', last_error = ? where id = ? and state = 'sending'`,
  );
  for (const r of stale)
    upd.run(
      `DELIVERY_UNKNOWN: the sending process (${r.claimedBy ?? '?'}) stopped while handing the mail to the server; not resent automatically to avoid a duplicate. Check the mail server log for ${r.messageId}; requeue if it never arrived.`,
      r.id,
    );
  return stale;
}

/** Admin action: a failed mail goes back to pending, attempts reset. */
export function requeuePursuitMail(ctx: AppContext, id: number): boolean {
  return (
    ctx.dbh.sqlite
      .prepare(
        `update pursuit_mails set state = 'pending', attempts = 0, next_attempt_at = null, claimed_by = null,
         claimed_at = null where id = ? and state in ('failed', 'skipped')`,
      )
      .run(id).changes === 1
  );
}
