import type { Command } from 'commander';
import { withContext } from '../context.ts';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description(
      'Datenbank anlegen bzw. migrieren und Konzept laden / create or migrate the database, load the concept',
    )
    .action(async () => {
      await withContext((ctx) => {
        const row = ctx.dbh.sqlite.prepare('select count(*) as n from __drizzle_migrations').get() as {
          n: number;
        };
        console.log(
          `Datenbank aktuell / database up to date: ${ctx.config.databasePath} (${row.n} migrations)`,
        );
      });
    });
}
