import { onRunFinished } from '../crawlers/run.ts';
import { matchPending } from './matching/service.ts';

let installed = false;

/**
 * Connects the stages of the data flow (crawl → match) once per process: after every crawl run
 * the new and changed calls are re-matched incrementally. Idempotent.
 */
export function installPipeline(): void {
  if (installed) return;
  installed = true;
  onRunFinished((ctx, summary) => {
    if (summary.touchedIds.length === 0) return;
    const result = matchPending(ctx);
    ctx.logger.info({ source: summary.source, ...result }, 'calls re-matched after crawl');
  });
}
