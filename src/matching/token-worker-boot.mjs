// The tokenising worker's entry (see token-ahead.ts): plain JavaScript that registers tsx, then
// loads the TypeScript worker. Under Node 20 a worker's execArgv `--import tsx` does not apply to
// its entry, so the loader is registered here. A failure is posted like the worker's own errors.
import { workerData } from 'node:worker_threads';

try {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./token-worker.ts');
} catch (e) {
  workerData.port.postMessage({ kind: 'error', message: String(e?.message ?? e) });
  Atomics.add(workerData.flag, 0, 1);
  Atomics.notify(workerData.flag, 0);
}
