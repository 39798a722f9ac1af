import { writeFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { listDigests, requeue } from '../../digest/outbox.ts';
import { previewDigest } from '../../digest/preview.ts';
import { runDigests } from '../../digest/send.ts';
import { AppError } from '../../errors.ts';
import { withContext } from '../context.ts';

const id = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected an id (a whole number)');
  return n;
};

export function registerDigestCommands(program: Command): void {
  const digest = program
    .command('digest')
    .description('Den E-Mail-Digest ansehen und senden / preview and send the digest');
  digest
    .command('preview')
    .description('Digest eines Empfängers erzeugen, ohne zu senden / render a digest without sending')
    .requiredOption('--subscriber <id>', 'Empfänger-ID / subscriber id', id)
    .option('--out <file.html>', 'HTML-Teil in eine Datei schreiben / write the HTML part to a file')
    .action(async (o: { subscriber: number; out?: string }) => {
      await withContext((ctx) => {
        const p = previewDigest(ctx, o.subscriber);
        if (o.out) {
          writeFileSync(o.out, p.html);
          console.error(`HTML geschrieben / written: ${o.out}`);
        }
        process.stdout.write(`Subject: ${p.subject}\n\n${p.text}`);
      });
    });
  digest
    .command('send')
    .description('Fällige Digests jetzt senden / send the due digests now')
    .option('--dry-run', 'nur anzeigen, was gesendet würde / only show what would be sent')
    .action(async (o: { dryRun?: boolean }) => {
      await withContext(async (ctx) => {
        const r = await runDigests(ctx, { dryRun: o.dryRun === true });
        if (o.dryRun) {
          for (const p of r.preview)
            console.log(`#${p.subscriberId} ${p.email} ${p.period}: ${p.subject} (${p.items} items)`);
          console.log(`${r.preview.length} digest(s) due; nothing sent (dry run)`);
          return;
        }
        const transport = ctx.config.mail.smtpUrl ? 'SMTP' : `.eml → ${ctx.config.mail.outboxDir}`;
        console.log(
          `sent ${r.sent}, deferred ${r.deferred}, failed ${r.failed}, skipped empty ${r.skippedEmpty}, outcome unknown after a crash ${r.recoveredUnknown} (${transport})`,
        );
        if (r.stopped)
          throw new AppError(
            'MAIL_FAILED',
            `Mailserver nicht erreichbar / mail server unreachable (${r.stopped.failures} failures in a row: ${r.stopped.error}); stopped, ${r.stopped.pending + r.deferred} digest(s) left pending for the next run`,
          );
        if (r.failed > 0 || r.recoveredUnknown > 0)
          throw new AppError(
            'MAIL_FAILED',
            `${r.failed + r.recoveredUnknown} digest(s) failed or ended in an unknown state; see \`foerdermatch digest list --state failed\``,
          );
      });
    });
  digest
    .command('list')
    .description('Postausgang anzeigen / show the outbox')
    .option('--state <state>', 'pending | sending | sent | failed | skipped')
    .action(async (o: { state?: 'pending' | 'sending' | 'sent' | 'failed' | 'skipped' }) => {
      await withContext((ctx) => {
        for (const d of listDigests(ctx.dbh.db, { ...(o.state ? { state: o.state } : {}), limit: 200 }))
          console.log(
            `#${d.id} ${d.period} ${d.email} ${d.state} attempts=${d.attempts}${d.lastError ? ` — ${d.lastError}` : ''}`,
          );
      });
    });
  digest
    .command('retry')
    .description('Einen fehlgeschlagenen Digest erneut einreihen / requeue a failed digest')
    .argument('<id>', 'Digest-ID', id)
    .action(async (digestId: number) => {
      await withContext((ctx) => {
        const row = requeue(ctx.dbh.db, digestId);
        if (!row)
          throw new AppError('CONFLICT', `Digest ${digestId} does not exist or is not failed/skipped.`);
        console.log(`Digest #${row.id} wieder eingereiht / requeued (${row.messageId})`);
      });
    });
}
