/**
 * Source `foerderdatenbank`: the federal funding database (federal, Land and EU programmes;
 * BMZ among the funders). Result lists are walked by their own pagination links (the `gtp=`
 * tokens are session-bound, so page URLs are never built); detail pages are fetched only for new
 * or changed list cards, or when a stored page is older than the refresh period (then
 * conditionally). robots.txt asks for 30 s between requests, so the listing is saved as resume
 * state and an interrupted run continues where it stopped.
 *
 * Pure parsing lives in `foerderdatenbank/parse.ts` and `foerderdatenbank/normalize.ts`, the
 * fetch walk in `foerderdatenbank/walk.ts`; this file is the adapter entry.
 */
import { deadlinesInText } from './foerderdatenbank/normalize.ts';
import { crawl } from './foerderdatenbank/walk.ts';
import type { SourceAdapter } from './types.ts';

export { deadlinesInText, toCall } from './foerderdatenbank/normalize.ts';
export {
  type DetailPage,
  FDB_ATTRIBUTION,
  type ListEntry,
  parseDetailPage,
  parseResultList,
  programmeKey,
  type ResultList,
  resolveOnSite,
  SEARCH_PATH,
  searchUrls,
} from './foerderdatenbank/parse.ts';

export const foerderdatenbank: SourceAdapter = {
  id: 'foerderdatenbank',
  name: 'Förderdatenbank des Bundes',
  defaultBaseUrls: { site: 'https://www.foerderdatenbank.de' },
  crawl,
  // A yearly deadline moves on when its date passes, also while the page stays unchanged.
  deadlinesAsOf: (call, now) => deadlinesInText(call.description, now),
};
