/**
 * The interreg.eu index lists calls that the programme sites we watch publish too (the BSR small
 * projects call is an index entry and a BSR post). Stored twice, a funding officer would read the
 * same call twice under two titles. The programme site's record is kept as it is — the
 * publisher's own page, read also when the index is down, with the details (stages, rates) —
 * and its index twin is left out. Nothing is merged from the twin: the stored call would then
 * change whenever the index is unreachable, and change back.
 */
import type { Call } from '../src/domain/call.ts';
import { fold, tokenize } from '../src/search/text.ts';

const dayMs = 86_400_000;

/** Host and path, without scheme, query, fragment and trailing slash. */
function place(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return `${u.hostname.replace(/^www\./, '')}${u.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return undefined;
  }
}

const titleWords = (title: string) => new Set(tokenize(fold(title)).filter((w) => w.length >= 3));

/** Share of the shorter title's words that the other title has too. */
function titleOverlap(a: string, b: string): number {
  const [x, y] = [titleWords(a), titleWords(b)];
  const shorter = x.size <= y.size ? x : y;
  const longer = shorter === x ? y : x;
  if (shorter.size === 0) return 0;
  let shared = 0;
  for (const w of shorter) if (longer.has(w)) shared++;
  return shared / shorter.size;
}

const sharesDeadline = (a: Call, b: Call) =>
  a.deadlines.some((x) => b.deadlines.some((y) => Math.abs(Date.parse(x.at) - Date.parse(y.at)) < dayMs));

/**
 * How sure we are that an index entry and a site call are the same call: 2 when both point to the
 * same page, 1 when they share a deadline (within a day) and most title words, 0 when they are
 * not the same, and always 0 across programmes.
 */
export function twinScore(index: Call, site: Call): 0 | 1 | 2 {
  if (!index.programme || index.programme !== site.programme) return 0;
  const page = place(index.url);
  if (page && page === place(site.url)) return 2;
  return sharesDeadline(index, site) && titleOverlap(index.title, site.title) >= 0.5 ? 1 : 0;
}

/**
 * Pairs index entries with the site calls they repeat, surest pairs first (same page before
 * shared deadline and title), each call in one pair at most — pass only calls' own pages, not
 * news that announce them — and returns the entries that repeat none.
 */
export function joinTwins(
  index: readonly Call[],
  site: readonly Call[],
): { index: Call[]; twins: Array<{ index: string; site: string }> } {
  const pairs: Array<{ i: number; s: number; score: number }> = [];
  index.forEach((entry, i) => {
    site.forEach((call, s) => {
      const score = twinScore(entry, call);
      if (score > 0) pairs.push({ i, s, score });
    });
  });
  pairs.sort((a, b) => b.score - a.score); // stable: ties keep the pages' order
  const pairedIndex = new Set<number>();
  const pairedSite = new Set<number>();
  const twins: Array<{ index: string; site: string }> = [];
  for (const p of pairs) {
    if (pairedIndex.has(p.i) || pairedSite.has(p.s)) continue;
    pairedIndex.add(p.i);
    pairedSite.add(p.s);
    twins.push({ index: index[p.i]!.id, site: site[p.s]!.id });
  }
  return { index: index.filter((_, i) => !pairedIndex.has(i)), twins };
}
