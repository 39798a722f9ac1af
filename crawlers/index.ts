import type { CrawlableSourceId } from '../src/domain/enums.ts';
import { AppError } from '../src/errors.ts';
import { euFt } from './eu-ft.ts';
import { foerderdatenbank } from './foerderdatenbank.ts';
import { interreg } from './interreg.ts';
import { skew } from './skew.ts';
import type { SourceAdapter } from './types.ts';

/**
 * All crawlable sources. To add one, write `crawlers/<id>.ts` exporting a `SourceAdapter`
 * (see `crawlers/types.ts`) and list it here; CLI, scheduler and runs pick it up from this list.
 */
export const sourceAdapters: readonly SourceAdapter[] = [euFt, foerderdatenbank, interreg, skew];

export function getAdapter(id: string): SourceAdapter {
  const adapter = sourceAdapters.find((a) => a.id === id);
  if (!adapter) {
    throw new AppError(
      'VALIDATION_FAILED',
      `Unknown source "${id}". Known sources: ${sourceAdapters.map((a) => a.id).join(', ')}.`,
    );
  }
  return adapter;
}

export function adapterIds(): CrawlableSourceId[] {
  return sourceAdapters.map((a) => a.id);
}

export type { SourceAdapter };
