import 'dotenv/config';
import { Command, CommanderError } from 'commander';
import { isAppError } from '../errors.ts';
import { registerConceptCommands } from './commands/concept.ts';
import { registerCrawlCommands } from './commands/crawl.ts';
import { registerDemoCommand } from './commands/demo.ts';
import { registerDigestCommands } from './commands/digest.ts';
import { registerMatchingCommands } from './commands/matching.ts';
import { registerMigrateCommand } from './commands/migrate.ts';
import { registerPursuitCommands } from './commands/pursuit.ts';
import { registerSubscriberCommands } from './commands/subscriber.ts';
import { registerTokenCommands } from './commands/token.ts';

/** Builds the command tree; exported so tests run commands in-process. */
export function buildCli(): Command {
  const program = new Command('foerdermatch')
    .description('Fördermittel für Kiel International finden / find funding for Kiel International')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  registerMigrateCommand(program);
  registerConceptCommands(program);
  registerSubscriberCommands(program);
  registerDigestCommands(program);
  registerCrawlCommands(program);
  registerMatchingCommands(program);
  registerDemoCommand(program);
  registerTokenCommands(program);
  registerPursuitCommands(program);
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildCli().parseAsync(argv, { from: 'user' });
    // A command may report failure without throwing (e.g. `crawl` when a source failed).
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (isAppError(err)) {
      console.error(`foerdermatch: ${err.message}`);
      return 2;
    }
    console.error(err);
    return 1;
  }
}

// A closed pipe (`foerdermatch calls | head`) is a normal end, not a crash.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runCli(process.argv.slice(2));
}
