import type { Command } from 'commander';
import { AppError } from '../../errors.ts';
import { listPursuitMails } from '../../pursuits/outbox.ts';
import { runPursuitMails } from '../../pursuits/send.ts';
import { withContext } from '../context.ts';

export function registerPursuitCommands(program: Command): void {
  const pursuit = program
    .command('pursuit')
    .description('Vorhaben: Erinnerungen und Änderungsmeldungen / pursuits: reminders and change alerts');
  pursuit
    .command('send')
    .description(
      'Fällige Erinnerungen und Änderungsmeldungen senden / send due reminders and call-change alerts',
    )
    .action(async () => {
      await withContext(async (ctx) => {
        const r = await runPursuitMails(ctx);
        console.log(
          `alerts ${r.alerts}, reminders ${r.reminders}, sent ${r.sent}, deferred ${r.deferred}, failed ${r.failed}, outcome unknown after a crash ${r.recoveredUnknown}`,
        );
        if (r.failed > 0 || r.recoveredUnknown > 0)
          throw new AppError(
            'MAIL_FAILED',
            `${r.failed + r.recoveredUnknown} pursuit mail(s) failed or ended in an unknown state; see \`foerdermatch pursuit mails\``,
          );
      });
    });
  pursuit
    .command('mails')
    .description('Postausgang der Vorhaben anzeigen / show the pursuits’ outbox')
    .action(async () => {
      await withContext((ctx) => {
        for (const m of listPursuitMails(ctx))
          console.log(
            `#${m.id} pursuit ${m.pursuitId} ${m.key} ${m.toEmail} ${m.state} attempts=${m.attempts}${m.lastError ? ` — ${m.lastError}` : ''}`,
          );
      });
    });
}
