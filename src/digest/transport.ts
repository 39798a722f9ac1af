import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';

export interface OutgoingMail {
  from: string;
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
  /** File name (without folder) used when mails go to the outbox folder. */
  fileName: string;
}

export interface MailTransport {
  readonly kind: 'smtp' | 'eml';
  /** Resolves with the server's acceptance line (or the written file) once the mail is accepted. */
  deliver(mail: OutgoingMail): Promise<string>;
  close(): void;
}

function message(mail: OutgoingMail) {
  return {
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    headers: mail.headers,
  };
}

/** SMTP via nodemailer; one connection per mail (digests are few, and a failure stays isolated). */
export function smtpTransport(smtpUrl: string): MailTransport {
  const t = nodemailer.createTransport(smtpUrl);
  return {
    kind: 'smtp',
    async deliver(mail) {
      const info = await t.sendMail(message(mail));
      return info.response;
    },
    close: () => t.close(),
  };
}

/** Without SMTP: each mail becomes a real `.eml` file (CRLF, as sent), written atomically. */
export function emlTransport(dir: string): MailTransport {
  const t = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    kind: 'eml',
    async deliver(mail) {
      const info = await t.sendMail(message(mail));
      mkdirSync(dir, { recursive: true });
      const path = join(dir, mail.fileName);
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, info.message as Buffer);
      renameSync(tmp, path);
      return `written ${path}`;
    },
    close: () => t.close(),
  };
}

export function createMailTransport(config: Config): MailTransport {
  return config.mail.smtpUrl ? smtpTransport(config.mail.smtpUrl) : emlTransport(config.mail.outboxDir);
}

export type FailureKind = 'temporary' | 'permanent';

/**
 * Temporary: 4xx replies and failures to reach the server (refused, reset, timeout, DNS) —
 * worth retrying. Permanent: 5xx replies (nodemailer's `permanent` flag), bad credentials or
 * configuration, and addresses the server will never take.
 */
export function classifyFailure(err: unknown): { kind: FailureKind; message: string; unreachable: boolean } {
  const e = err as {
    code?: string;
    command?: string;
    responseCode?: number;
    permanent?: boolean;
    response?: string;
    message?: string;
  };
  const message = e.response ? `${e.response}` : (e.message ?? String(err));
  const unreachable = isUnreachable(e);
  if (typeof e.permanent === 'boolean')
    return { kind: e.permanent ? 'permanent' : 'temporary', message, unreachable };
  if (typeof e.responseCode === 'number')
    return {
      kind: e.responseCode >= 500 && e.responseCode !== 503 ? 'permanent' : 'temporary',
      message,
      unreachable,
    };
  if (e.code && ['EAUTH', 'ENOAUTH', 'ECONFIG', 'EENVELOPE', 'EMESSAGE'].includes(e.code))
    return { kind: 'permanent', message, unreachable };
  return { kind: 'temporary', message, unreachable };
}

/** nodemailer's codes for "no SMTP session": refused, DNS, timeout, socket, TLS. */
const UNREACHABLE_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'ECONNREFUSED']);

/**
 * The server could not be reached or would not talk at all (a 421 greeting: "service not
 * available"), as opposed to an answer about this one mail. Counted by the circuit breaker.
 */
function isUnreachable(e: { code?: string; command?: string; responseCode?: number }): boolean {
  if (e.code && UNREACHABLE_CODES.has(e.code)) return true;
  return e.command === 'CONN' && (e.responseCode === 421 || e.responseCode === 554);
}
