import type { Command } from 'commander';
import { audit, createToken, listTokens, revokeToken } from '../../auth/tokens.ts';
import { tokenRoles } from '../../domain/enums.ts';
import { AppError } from '../../errors.ts';
import { signInLink } from '../../web/links.ts';
import { withContext } from '../context.ts';

export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('API-Tokens verwalten / manage API tokens');

  token
    .command('create')
    .description('Token anlegen; es wird nur jetzt angezeigt / create a token; it is shown only now')
    .requiredOption('--name <name>', 'wofür / who or what it is for')
    .option('--role <role>', `Rolle / role: ${tokenRoles.join(' | ')}`, 'reader')
    .option('--json', 'als JSON ausgeben / print JSON')
    .action(async (opts: { name: string; role: string; json?: boolean }) => {
      const name = opts.name.trim();
      if (!name || name.length > 100) {
        throw new AppError('VALIDATION_FAILED', '--name must be 1–100 characters');
      }
      if (!(tokenRoles as readonly string[]).includes(opts.role)) {
        throw new AppError(
          'VALIDATION_FAILED',
          `--role must be one of ${tokenRoles.join(', ')} (got "${opts.role}")`,
        );
      }
      await withContext((ctx) => {
        const t = createToken(ctx.dbh.db, { name, role: opts.role as (typeof tokenRoles)[number] });
        audit(ctx.dbh.db, {
          actor: 'cli',
          action: 'token.create',
          target: String(t.id),
          details: { name, role: t.role },
        });
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(t)}\n`);
          return;
        }
        // The token stays the last line: scripts read it from there.
        process.stdout.write(
          `Anmeldelink / sign-in link: ${signInLink(ctx.config.publicBaseUrl, t.token)}\n` +
            `Token #${t.id} "${t.name}" (${t.role}) — nur jetzt sichtbar / shown only now:\n${t.token}\n`,
        );
      });
    });

  token
    .command('list')
    .description('Tokens auflisten (ohne Geheimnis) / list tokens (without the secret)')
    .option('--json', 'als JSON ausgeben / print JSON')
    .action(async (opts: { json?: boolean }) => {
      await withContext((ctx) => {
        const rows = listTokens(ctx.dbh.db);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        const lines = rows.map(
          (r) =>
            `${String(r.id).padStart(4)}  ${r.role.padEnd(6)}  ${r.revokedAt ? `widerrufen/revoked ${r.revokedAt}` : 'aktiv/active'}  ` +
            `zuletzt/last used ${r.lastUsedAt ?? '–'}  ${r.name}`,
        );
        process.stdout.write(`${lines.length ? lines.join('\n') : 'Keine Tokens / no tokens'}\n`);
      });
    });

  token
    .command('revoke')
    .description('Token widerrufen / revoke a token')
    .argument('<id>', 'Token-ID aus "token list" / token id from "token list"')
    .action(async (id: string) => {
      const n = Number(id);
      if (!Number.isInteger(n) || n < 1) throw new AppError('VALIDATION_FAILED', `not a token id: "${id}"`);
      await withContext((ctx) => {
        if (!revokeToken(ctx.dbh.db, n)) {
          throw new AppError('NOT_FOUND', `Kein aktives Token #${n} / no active token #${n}`);
        }
        audit(ctx.dbh.db, { actor: 'cli', action: 'token.revoke', target: String(n) });
        process.stdout.write(`Token #${n} widerrufen / revoked\n`);
      });
    });
}
