import { loadConfig } from '../config.ts';
import { type AppContext, createContext, createLogger } from '../context.ts';
import { installPipeline } from '../pipeline.ts';

/** Opens the context for one command and always closes the database afterwards. */
export async function withContext<T>(fn: (ctx: AppContext) => Promise<T> | T): Promise<T> {
  const config = loadConfig();
  // Commands print their own output; logs go to stderr and stay quiet unless asked for.
  const logger = createLogger(
    { ...config, logLevel: process.env.LOG_LEVEL ? config.logLevel : 'warn' },
    { toStderr: true },
  );
  const ctx = createContext(config, logger);
  installPipeline();
  try {
    return await fn(ctx);
  } finally {
    ctx.dbh.close();
  }
}
