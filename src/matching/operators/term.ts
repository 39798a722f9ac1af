/** Terms of the text operators: compiled from rule text, matched against a call's position map. */
import picomatch from 'picomatch';
import { fold, type TextDoc } from '../text.ts';
import { stemIdsOfToken, tokenId } from '../vocab.ts';

export type Part = { stems: Int32Array } | { wild: number };
export interface Term {
  text: string;
  parts: Part[];
}

/**
 * A word glob as a matcher: patterns made of literals and `*` are checked with
 * startsWith/indexOf/endsWith (linear, no backtracking); others (`?`, classes) go to picomatch.
 */
export function globMatcher(pattern: string): (s: string) => boolean {
  if (/[?[\]]/.test(pattern))
    return picomatch(pattern, { nobrace: true, noextglob: true, nonegate: true, dot: true });
  const parts = pattern.split('*');
  const first = parts[0]!;
  const last = parts.at(-1)!;
  const middle = parts.slice(1, -1).filter((x) => x !== '');
  const minLength = parts.reduce((n, x) => n + x.length, 0);
  if (parts.length === 1) return (s) => s === pattern;
  return (s) => {
    if (s.length < minLength || !s.startsWith(first) || !s.endsWith(last)) return false;
    let at = first.length;
    const end = s.length - last.length;
    for (const m of middle) {
      const i = s.indexOf(m, at);
      if (i < 0 || i + m.length > end) return false;
      at = i + m.length;
    }
    return true;
  };
}

export interface Positions {
  positions(doc: TextDoc, pattern: number): readonly number[] | undefined;
}

export function compileTerm(text: string, pattern: (glob: string) => number): Term {
  // Words are split like call texts, except that `*` stays inside a word as a wildcard.
  const words = fold(text)
    .split(/[^a-z0-9*?]+/)
    .filter((w) => w !== '' && /[a-z0-9]/.test(w));
  const parts: Part[] = words.map((w) =>
    w.includes('*') || w.includes('?') ? { wild: pattern(w) } : { stems: stemIdsOfToken(tokenId(w)) },
  );
  return { text, parts };
}

export function partPositions(part: Part, doc: TextDoc, wild: Positions): readonly number[] | undefined {
  if ('wild' in part) return wild.positions(doc, part.wild);
  const lists: number[][] = [];
  for (const st of part.stems) {
    const l = doc.positions(st);
    if (l) lists.push(Array.from(l));
  }
  if (lists.length <= 1) return lists[0];
  return [...new Set(lists.flat())].sort((x, y) => x - y);
}

/** Does the part occur at token position `pos`? (no allocation: phrases are checked often) */
function partAt(part: Part, doc: TextDoc, wild: Positions, pos: number): boolean {
  if ('wild' in part) return wild.positions(doc, part.wild)?.includes(pos) ?? false;
  for (const st of part.stems) if (doc.hasAt(st, pos)) return true;
  return false;
}

export function phraseAt(term: Term, doc: TextDoc, wild: Positions, start: number): boolean {
  for (let k = 1; k < term.parts.length; k++) if (!partAt(term.parts[k]!, doc, wild, start + k)) return false;
  return true;
}
