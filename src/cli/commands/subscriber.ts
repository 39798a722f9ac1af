import { type Command, InvalidArgumentError } from 'commander';
import { audit } from '../../auth/tokens.ts';
import { createSubscriber, listSubscribers, removeSubscriber } from '../../digest/subscribers.ts';
import { withContext } from '../context.ts';

const collect = (v: string, prev: string[]) => [...prev, v];
const id = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('expected a subscriber id (a whole number)');
  return n;
};

export function registerSubscriberCommands(program: Command): void {
  const sub = program
    .command('subscriber')
    .description('Empfänger des Digests verwalten / manage digest subscribers');
  sub
    .command('add')
    .description('Empfänger anlegen / add a subscriber')
    .requiredOption('--name <name>', 'Name')
    .requiredOption('--email <email>', 'E-Mail-Adresse / email address')
    .option('--language <de|en>', 'Sprache / language', 'de')
    .option(
      '--action-field <key>',
      'Handlungsfeld (wiederholbar) / action field key (repeatable)',
      collect,
      [],
    )
    .option('--measure <id>', 'Maßnahme (wiederholbar) / measure id (repeatable)', collect, [])
    .option('--min-score <n>', 'Mindestpassung 0–100 / minimum score', Number, 40)
    .option('--cadence <weekly|daily>', 'Rhythmus / cadence', 'weekly')
    .action(
      async (o: {
        name: string;
        email: string;
        language: string;
        actionField: string[];
        measure: string[];
        minScore: number;
        cadence: string;
      }) => {
        await withContext((ctx) => {
          const s = createSubscriber(ctx, {
            name: o.name,
            email: o.email,
            language: o.language,
            actionFields: o.actionField,
            measures: o.measure,
            minScore: o.minScore,
            cadence: o.cadence,
          });
          audit(ctx.dbh.db, { actor: 'cli', action: 'subscriber.create', target: String(s.id) });
          console.log(`Empfänger angelegt / subscriber added: #${s.id} ${s.name} <${s.email}>`);
        });
      },
    );
  sub
    .command('list')
    .description('Empfänger auflisten / list subscribers')
    .option('--json', 'als JSON / as JSON')
    .action(async (o: { json?: boolean }) => {
      await withContext((ctx) => {
        const rows = listSubscribers(ctx).map(({ unsubscribeToken: _t, ...r }) => r);
        if (o.json) {
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        if (rows.length === 0) console.log('Keine Empfänger / no subscribers');
        for (const r of rows) {
          const follows = [...r.actionFields, ...r.measures].join(', ');
          console.log(
            `#${r.id} ${r.name} <${r.email}> ${r.language} ${r.cadence} ≥${r.minScore}${r.active ? '' : ' (abgemeldet / unsubscribed)'} — ${follows}`,
          );
        }
      });
    });
  sub
    .command('remove')
    .description('Empfänger löschen / remove a subscriber')
    .argument('<id>', 'Empfänger-ID / subscriber id', id)
    .action(async (subscriberId: number) => {
      await withContext((ctx) => {
        const s = removeSubscriber(ctx, subscriberId);
        audit(ctx.dbh.db, { actor: 'cli', action: 'subscriber.delete', target: String(s.id) });
        console.log(`Empfänger gelöscht / subscriber removed: #${s.id} ${s.email}`);
      });
    });
}
