import type { Command } from 'commander';
import { audit } from '../../auth/tokens.ts';
import { loadDemo } from '../../demo/load.ts';
import { withContext } from '../context.ts';

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'Demodaten laden (echte aufgezeichnete Calls, siehe demo/SOURCES.md) und bewerten / load and match the demo calls',
    )
    .option('--force', 'auch wenn schon Calls da sind / even if the database already holds calls')
    .action(async (opts: { force?: boolean }) => {
      await withContext((ctx) => {
        const r = loadDemo(ctx, { force: opts.force === true });
        audit(ctx.dbh.db, { actor: 'cli', action: 'demo.load', details: r });
        process.stdout.write(
          `${r.imported} Demo-Calls geladen, ${r.rows} Treffer berechnet / demo calls loaded, matches computed\n` +
            `Weiter im Browser / next, in a browser: ${ctx.config.publicBaseUrl}/\n`,
        );
      });
    });
}
