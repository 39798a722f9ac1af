import type { Command } from 'commander';
import { adapterIds, getAdapter, sourceAdapters } from '../../../crawlers/index.ts';
import { listRuns, type RunSummary, runCrawl } from '../../../crawlers/run.ts';
import { getCalls } from '../../calls/store.ts';
import { AppError } from '../../errors.ts';
import { withContext } from '../context.ts';

const fmtDate = (iso: string | undefined | null) => (iso ? iso.replace('T', ' ').slice(0, 16) : '—');

function summaryLine(s: RunSummary): string {
  const head = `${s.source}: ${s.outcome} — ${s.listed} gelistet/listed, ${s.newCount} neu/new, ${s.changedCount} geändert/changed, ${s.unchangedCount} unverändert/unchanged, ${s.delistedCount} nicht mehr gelistet/delisted, ${s.errorCount} Fehler/errors, ${s.fetched} requests`;
  const errs = s.errors.slice(0, 5).map((e) => `    ! ${e.kind}: ${e.message}${e.url ? ` (${e.url})` : ''}`);
  if (s.errors.length > 5) errs.push(`    … ${s.errors.length - 5} more (foerdermatch runs --json)`);
  return [head, ...errs].join('\n');
}

export function registerCrawlCommands(program: Command): void {
  program
    .command('crawl')
    .description('Quellen jetzt abrufen / crawl sources now')
    .option('--source <id>', `nur diese Quelle / only this source (${adapterIds().join(', ')})`)
    .option(
      '--base-url <url>',
      'alle Hosts der Quelle auf diesen Server lenken / point all of the source’s hosts here',
    )
    .action(async (opts: { source?: string; baseUrl?: string }) => {
      if (opts.baseUrl && !opts.source) {
        throw new AppError('VALIDATION_FAILED', '--base-url needs --source (each source has its own hosts).');
      }
      if (opts.baseUrl && !/^https?:\/\/[^/]+/.test(opts.baseUrl)) {
        throw new AppError(
          'VALIDATION_FAILED',
          `--base-url expects http(s)://host[:port], got "${opts.baseUrl}".`,
        );
      }
      const adapters = opts.source ? [getAdapter(opts.source)] : [...sourceAdapters];
      const tty = process.stderr.isTTY;
      await withContext(async (ctx) => {
        const ac = new AbortController();
        const stop = () => ac.abort(new Error('interrupted'));
        process.once('SIGINT', stop);
        let failed = false;
        try {
          for (const adapter of adapters) {
            const summary = await runCrawl(ctx, adapter, {
              trigger: 'cli',
              signal: ac.signal,
              ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
              onProgress: tty
                ? (source, label, done, total) =>
                    process.stderr.write(`\r\x1b[K${source}: ${label} ${done}${total ? `/${total}` : ''}`)
                : undefined,
            });
            if (tty) process.stderr.write('\r\x1b[K');
            process.stdout.write(`${summaryLine(summary)}\n`);
            if (summary.outcome === 'failed' || summary.outcome === 'blocked') failed = true;
          }
        } finally {
          process.off('SIGINT', stop);
        }
        if (failed) process.exitCode = 3;
      });
    });

  program
    .command('calls')
    .description('Gespeicherte Aufrufe anzeigen / list stored calls')
    .option('--source <id>', 'nur diese Quelle / only this source')
    .option('--json', 'alle Felder als JSON / all fields as JSON')
    .action(async (opts: { source?: string; json?: boolean }) => {
      if (opts.source) getAdapter(opts.source);
      await withContext((ctx) => {
        const calls = getCalls(ctx.dbh.db)
          .filter((c) => !opts.source || c.source === opts.source)
          .sort((a, b) => a.id.localeCompare(b.id));
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(calls, null, 2)}\n`);
          return;
        }
        for (const c of calls) {
          const next = c.deadlines.find((d) => Date.parse(d.at) >= Date.now()) ?? c.deadlines.at(-1);
          const deadline = next ? `${fmtDate(next.at)} UTC` : 'keine Frist/no deadline';
          const delisted = c.delistedAt ? ' [nicht mehr gelistet/no longer listed]' : '';
          process.stdout.write(
            `${c.status.padEnd(11)} ${deadline.padEnd(22)} ${c.id}  ${c.title}${delisted}\n`,
          );
        }
        process.stdout.write(`${calls.length} Aufrufe/calls\n`);
      });
    });

  program
    .command('runs')
    .description('Abrufläufe anzeigen / list crawl runs')
    .option('--json', 'als JSON / as JSON')
    .option('--limit <n>', 'Anzahl / how many', '50')
    .action(async (opts: { json?: boolean; limit: string }) => {
      await withContext((ctx) => {
        const runs = listRuns(ctx, Math.max(1, Number(opts.limit) || 50));
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
          return;
        }
        for (const r of runs) {
          process.stdout.write(
            `#${r.id} ${r.source.padEnd(17)} ${r.outcome.padEnd(8)} ${fmtDate(r.startedAt)} → ${fmtDate(r.finishedAt)}  new ${r.newCount}, changed ${r.changedCount}, unchanged ${r.unchangedCount}, delisted ${r.delistedCount}, errors ${r.errorCount}\n`,
          );
        }
      });
    });
}
