/** Starts bench/api-server.ts in a child process and talks to it (see there). */

import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ServerChild {
  base: string;
  /** Seconds the search index took to build at the server's start. */
  indexSeconds: number;
  /** Its memory, and its main thread's CPU time so far (null where the OS does not say). */
  memory(): Promise<{ rss: number; heapUsed: number; external: number; mainCpuMs: number | null }>;
  close(): Promise<void>;
}

type Message = { type: string; [k: string]: unknown };

function next(child: ChildProcess, type: string): Promise<Message> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: Message) => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m);
    };
    const onExit = (code: number | null) =>
      reject(new Error(`bench server exited (code ${code}) before "${type}"`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * A server on `databasePath` with the response cache at `cacheMb` (0: off), as `npm start` runs
 * it; with `peer`, the FTS5 peer's route too. `BENCH_SERVER_FLAGS` adds Node flags (e.g.
 * `--trace-gc`).
 */
export async function startServer(
  databasePath: string,
  cacheMb: string,
  options: { peer?: boolean } = {},
): Promise<ServerChild> {
  const child = fork(fileURLToPath(new URL('./api-server.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_SERVER_FLAGS?.split(' ').filter(Boolean) ?? [])],
    env: {
      ...process.env,
      BENCH_SERVER_DB: databasePath,
      BENCH_SERVER_CACHE_MB: cacheMb,
      BENCH_SERVER_PEER: options.peer ? '1' : '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // The harness failing must not leave a server behind.
  const kill = () => child.kill();
  process.once('exit', kill);
  const ready = await next(child, 'listening');
  return {
    base: `http://127.0.0.1:${ready.port}`,
    indexSeconds: ready.indexSeconds as number,
    async memory() {
      const reply = next(child, 'memory');
      child.send({ type: 'memory' });
      return (await reply) as unknown as {
        rss: number;
        heapUsed: number;
        external: number;
        mainCpuMs: number | null;
      };
    },
    async close() {
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ type: 'close' });
      await exited;
      process.off('exit', kill);
    },
  };
}
