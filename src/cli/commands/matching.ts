import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { parseImportFile } from '../../calls/import-jsonl.ts';
import { importCalls } from '../../calls/import-service.ts';
import { upsertCall } from '../../calls/store.ts';
import { loadConfig } from '../../config.ts';
import { createContext, createLogger } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { compileEngine } from '../../matching/engine.ts';
import { rankCalls } from '../../matching/rank.ts';
import { getActiveRuleSet, matchCalls } from '../../matching/service.ts';
import { withContext } from '../context.ts';

function readFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new AppError('IMPORT_INVALID', `${file}: ${(err as Error).message}`, { cause: err });
  }
}

export function registerMatchingCommands(program: Command): void {
  program
    .command('import')
    .description('Calls aus JSON Lines importieren / import calls from a JSON Lines file')
    .argument(
      '<file>',
      'JSON Lines: id, source, programme, identifier, title, summary, applicants, deadlines, …',
    )
    .action(async (file: string) => {
      const { calls, errors } = parseImportFile(readFile(file));
      for (const e of errors) process.stderr.write(`${file}:${e.line}: ${e.reason}\n`);
      await withContext((ctx) => {
        const { counts, match } = importCalls(ctx, calls);
        process.stdout.write(
          `${calls.length} importiert / imported (new ${counts.new}, changed ${counts.changed}, unchanged ${counts.unchanged}), ${errors.length} fehlerhaft / bad lines\n` +
            `${match.calls} Calls abgeglichen / matched, ${match.writtenRows} Treffer-Zeilen geschrieben / match rows written (Regelversion / rule version ${match.ruleVersion})\n`,
        );
      });
      if (errors.length > 0) {
        throw new AppError('IMPORT_INVALID', `${errors.length} fehlerhafte Zeilen / bad lines in ${file}`);
      }
    });

  program
    .command('match')
    .description('Alle Calls neu bewerten / re-match all calls now')
    .action(async () => {
      await withContext((ctx) => {
        const t0 = performance.now();
        const r = matchCalls(ctx);
        process.stdout.write(
          `${r.calls} Calls, ${r.rows} Treffer / matches, Regelversion ${r.ruleVersion} (${Math.round(performance.now() - t0)} ms)\n` +
            `${r.changedCalls} Calls mit geänderten Treffern, ${r.writtenRows} Zeilen geschrieben / calls with changed matches, rows written\n`,
        );
      });
    });

  program
    .command('rank')
    .description(
      'Calls einer Datei ranken (temporäre Datenbank) / rank the calls of a file (temporary database)',
    )
    .requiredOption('--calls <file>', 'JSON Lines file')
    .option('--ignore-deadlines', 'als offen behandeln / rank as if open (evaluation on past calls)')
    .option('--top <n>', 'nur die besten N je Ziel / only the best N per target', (v) =>
      Number.parseInt(v, 10),
    )
    .option('--json', 'JSON ausgeben / print JSON')
    .action((opts: { calls: string; ignoreDeadlines?: boolean; top?: number; json?: boolean }) => {
      const { calls, errors } = parseImportFile(readFile(opts.calls));
      for (const e of errors) process.stderr.write(`${opts.calls}:${e.line}: ${e.reason}\n`);
      const dir = mkdtempSync(join(tmpdir(), 'foerdermatch-rank-'));
      try {
        const base = loadConfig();
        const config = { ...base, databasePath: join(dir, 'rank.db') };
        const ctx = createContext(config, createLogger({ ...config, logLevel: 'warn' }));
        try {
          ctx.dbh.db.transaction((tx) => {
            for (const c of calls) upsertCall(tx, c.call);
          });
          const engine = compileEngine(getActiveRuleSet(ctx).rules, ctx.concept.concept);
          const fileIds = new Map(calls.map((c) => [c.call.id, c.fileId]));
          const ranking = rankCalls(
            engine,
            calls.map((c) => c.call),
            {
              ignoreDeadlines: opts.ignoreDeadlines ?? false,
              top: opts.top,
              idOf: (c) => fileIds.get(c.id) ?? c.id,
            },
          );
          if (opts.json) {
            process.stdout.write(`${JSON.stringify(ranking, null, 2)}\n`);
            return;
          }
          for (const [key, list] of Object.entries(ranking.actionFields)) {
            process.stdout.write(`\n${key}\n`);
            for (const e of list.slice(0, opts.top ?? 10)) {
              process.stdout.write(
                `  ${e.score.toFixed(1).padStart(5)} ${e.excluded ? '✗' : ' '} ${e.id}  ${e.reasons[0]}\n`,
              );
            }
          }
        } finally {
          ctx.dbh.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
}
