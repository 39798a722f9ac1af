import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createToken } from '../../src/auth/tokens.ts';
import { type Config, testConfig } from '../../src/config.ts';
import { type AppContext, createContext, createLogger } from '../../src/context.ts';
import { installPipeline } from '../../src/pipeline.ts';

/**
 * Real SQLite file with the real migrations and the real concept. Each call makes a fresh
 * database; all are closed and removed after the file's tests (so `beforeAll` use is safe).
 */
export function useTestContext(): (overrides?: NodeJS.ProcessEnv) => AppContext {
  const open: { ctx: AppContext; dir: string }[] = [];
  afterAll(() => {
    for (const { ctx, dir } of open.splice(0)) {
      ctx.dbh.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
  return (overrides = {}) => {
    const dir = mkdtempSync(join(tmpdir(), 'foerdermatch-ctx-'));
    const config: Config = testConfig({
      DATABASE_PATH: join(dir, 'test.db'),
      OUTBOX_DIR: join(dir, 'outbox'),
      ...overrides,
    });
    const ctx = createContext(config, createLogger(config));
    installPipeline(); // tests are a composition root too: crawls re-match as in the product
    open.push({ ctx, dir });
    return ctx;
  };
}

/** Authorization header for a fresh token of the given role. */
export function authHeader(ctx: AppContext, role: 'reader' | 'admin' = 'reader'): { authorization: string } {
  const { token } = createToken(ctx.dbh.db, { name: `test-${role}`, role });
  return { authorization: `Bearer ${token}` };
}
