/**
 * Source `eu-ft`: the EU Funding & Tenders Portal. The search API lists forthcoming and open
 * topics (and cascade calls); the Topic Details JSON adds description, conditions and exact
 * deadlines. Parsing is pure and exported (`eu-ft/search.ts`, `eu-ft/details.ts`,
 * `eu-ft/normalize.ts`); `eu-ft/walk.ts` does the fetching. This file is the adapter entry.
 */

import { crawl } from './eu-ft/walk.ts';
import type { SourceAdapter } from './types.ts';

export { parseTopicDetails, type TopicDetails, topicDetailsUrl, topicPageUrl } from './eu-ft/details.ts';
export {
  deadlineFromEpochMs,
  deadlineFromSearchDate,
  EU_TIME_ZONE,
  toCall,
  topicBudget,
} from './eu-ft/normalize.ts';
export {
  type BudgetOverview,
  dedupeHits,
  FORTHCOMING,
  OPEN,
  type ParseProblem,
  parseSearchPage,
  type SearchHit,
  searchBody,
  searchQuery,
  searchUrl,
} from './eu-ft/search.ts';

export const euFt: SourceAdapter = {
  id: 'eu-ft',
  name: 'EU Funding & Tenders Portal',
  defaultBaseUrls: { api: 'https://api.tech.ec.europa.eu', portal: 'https://ec.europa.eu' },
  crawl,
};
