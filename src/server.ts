import 'dotenv/config';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.ts';
import { ensureBootstrapToken } from './auth/bootstrap.ts';
import { loadConfig } from './config.ts';
import { createContext, createLogger } from './context.ts';
import { isAppError } from './errors.ts';
import { registerJobs } from './jobs/register.ts';
import { Scheduler } from './jobs/scheduler.ts';
import { warmMatching } from './matching/service.ts';
import { signInLink } from './web/links.ts';

/** Server entry: listens, starts the schedules, shuts down cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  const ctx = createContext(config, logger);
  const app = await buildApp(config, { context: ctx });
  const scheduler = new Scheduler(logger);
  app.decorate('scheduler', scheduler);
  if (config.scheduler.enabled) registerJobs(ctx, scheduler);

  const warm = new AbortController();
  closeWithGrace({ delay: 15_000, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'shutting down after error');
    else logger.info({ signal }, 'shutting down');
    warm.abort();
    await app.close();
    await scheduler.stop();
    ctx.dbh.close();
  });

  await app.listen({ port: config.port, host: config.host });
  const bootstrap = ensureBootstrapToken(ctx.dbh.db);
  if (bootstrap) {
    // Shown once: the operator needs it to call /api and to create further tokens.
    process.stderr.write(
      `\nErstes Admin-Token (wird nur einmal angezeigt) / first admin token (shown once):\n  ${bootstrap}\n` +
        `Anmelden im Browser / sign in with a browser:\n  ${signInLink(config.publicBaseUrl, bootstrap)}\n` +
        `Beispiel / example: curl -H "Authorization: Bearer ${bootstrap}" ${config.publicBaseUrl}/api/action-fields\n\n`,
    );
  }
  logger.info(
    {
      url: `http://${config.host}:${config.port}`,
      docs: `${config.publicBaseUrl}/docs`,
      database: config.databasePath,
      // The process to signal: SIGTERM here drains in-flight requests, then exits 0.
      pid: process.pid,
    },
    'foerdermatch läuft / is running',
  );
  // In the background: the first rule change after a start should not wait for tokenising.
  const t0 = performance.now();
  warmMatching(ctx, { signal: warm.signal }).then(
    (r) => logger.info({ calls: r.calls, ms: Math.round(performance.now() - t0) }, 'matching cache warm'),
    (err: unknown) => {
      if (!warm.signal.aborted) logger.warn({ err }, 'warming the matching cache failed');
    },
  );
}

/** One line an operator can act on for the failures a start commonly meets; else undefined. */
function startFailure(err: unknown): string | undefined {
  if (isAppError(err)) return err.message;
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
  if (e?.code === 'EADDRINUSE')
    return `Adresse belegt / address already in use: ${e.address ?? process.env.HOST ?? ''}:${e.port ?? process.env.PORT ?? ''} (EADDRINUSE); another foerdermatch running? Stop it or set PORT`;
  if (e?.code === 'EACCES' && e.syscall === 'listen')
    return `Port ${e.port ?? process.env.PORT ?? ''} not allowed (EACCES); use a port above 1023 or set PORT`;
  if (e?.code === 'EADDRNOTAVAIL')
    return `Adresse nicht verfügbar / address not available: ${e.address ?? process.env.HOST ?? ''} (EADDRNOTAVAIL); check HOST`;
  return undefined;
}

main().catch((err: unknown) => {
  const line = startFailure(err);
  if (line) console.error(`foerdermatch: ${line}`);
  else console.error(err);
  process.exit(1);
});

declare module 'fastify' {
  interface FastifyInstance {
    scheduler?: Scheduler;
  }
}
