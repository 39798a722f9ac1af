import { join } from 'node:path';
import { afterEach } from 'vitest';
import { type Config, testConfig } from '../../src/config.ts';
import { type AppContext, createContext, createLogger } from '../../src/context.ts';
import { useTmpDir } from './tmp.ts';

/** Real SQLite file with the real migrations and the real concept, per test. */
export function useTestContext(): (overrides?: NodeJS.ProcessEnv) => AppContext {
  const tmp = useTmpDir();
  const open: AppContext[] = [];
  afterEach(() => {
    for (const c of open.splice(0)) c.dbh.close();
  });
  return (overrides = {}) => {
    const dir = tmp();
    const config: Config = testConfig({
      DATABASE_PATH: join(dir, 'test.db'),
      OUTBOX_DIR: join(dir, 'outbox'),
      ...overrides,
    });
    const ctx = createContext(config, createLogger(config));
    open.push(ctx);
    return ctx;
  };
}
