/**
 * Interreg programme sites watched directly, as pure parse functions: Deutschland-Danmark
 * (deadlines, Pool für kürzere Projekte, Bürgerprojektefonds, news), Baltic Sea Region
 * (WordPress REST API or RSS), North Sea and South Baltic (calls, news). Text in, validated Calls out.
 * One file per site under `interreg-sites/`; this file gathers them for the adapter and the tests.
 */
export { bsrPostsToCalls, parseRssFeed, parseWpPosts, type WpPost } from './interreg-sites/bsr.ts';
export {
  INTERREG_FUNDER,
  layoutChanged,
  mainContentHash,
  type PageContext,
  type ParseResult,
  type RecordError,
} from './interreg-sites/common.ts';
export { parseDeDkCitizensFund, parseDeDkDeadlines, parseDeDkPool } from './interreg-sites/de-dk.ts';
export { parseNewsList, parseNorthSeaCalls, parseSouthBalticCalls } from './interreg-sites/news-calls.ts';
