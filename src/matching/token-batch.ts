import { analyzeAll, TextDoc } from './text.ts';
import type { VocabDelta } from './vocab.ts';

/**
 * Tokenised calls as plain data that one thread posts to another (the tokenising worker to the
 * matcher): each call's doc buffer in one transferable array, each doc's layout, and what the
 * vocabulary learnt while tokenising them (ids in the buffers mean something only once the
 * receiver has adopted that). This module needs only the tokeniser, so the worker loads little.
 */
export interface TokenBatch {
  /** The calls' doc buffers one after another; call i's ends at `ends[i]`. */
  buf: Int32Array;
  ends: Int32Array;
  /** Per call, per doc: at, n, d, pairs, k. */
  layouts: Int32Array;
  vocab: VocabDelta;
}

/** The parts of a call that are tokenised. */
export interface CallTextParts {
  title: string;
  summary: string;
  description: string;
  programme?: string;
  identifier?: string;
  funder?: string;
  keywords: string[];
  applicantsText?: string;
}

/** Docs per call: text, title, applicants, programme (`textFacts` in facts.ts). */
export const docsPerCall = 4;
const perDoc = 5;

/** The texts a call is tokenised from, in `textFacts` order. */
export function callTexts(call: CallTextParts): string[] {
  const programme = call.programme ?? '';
  const text = [
    call.title,
    call.summary,
    call.description,
    programme,
    call.funder ?? '',
    call.keywords.join('. '),
    call.applicantsText ?? '',
  ].join('\n');
  return [text, call.title, call.applicantsText ?? '', `${programme} ${call.identifier ?? ''}`];
}

/** A call as the matcher keeps it: no long texts (they live on only as tokens). */
export function withoutTexts<C extends CallTextParts>(c: C): C {
  return { ...c, title: '', summary: '', description: '' };
}

/** Tokenises each call's texts (`docsPerCall` each); the vocabulary delta is the caller's to add. */
export function packTexts(texts: readonly string[][]): Omit<TokenBatch, 'vocab'> {
  const bufs: Int32Array[] = [];
  const ends = new Int32Array(texts.length);
  const layouts = new Int32Array(texts.length * docsPerCall * perDoc);
  let size = 0;
  texts.forEach((t, i) => {
    if (t.length !== docsPerCall) throw new Error(`${t.length} texts for a call, not ${docsPerCall}`);
    const docs = analyzeAll(t);
    const buf = docs[0]!.parts().buf;
    docs.forEach((doc, j) => {
      const p = doc.parts();
      // All docs of a call share one buffer (analyzeAll).
      if (p.buf !== buf) throw new Error('docs of one call in different buffers');
      layouts.set(p.layout, (i * docsPerCall + j) * perDoc);
    });
    bufs.push(buf);
    size += buf.length;
    ends[i] = size;
  });
  const buf = new Int32Array(size);
  let at = 0;
  for (const b of bufs) {
    buf.set(b, at);
    at += b.length;
  }
  return { buf, ends, layouts };
}

/**
 * The docs of each call of a batch. They share the batch's buffer (one allocation per batch
 * instead of one per call, the largest cost of taking a batch over); it stays alive while any
 * of its calls' docs is cached, so a call re-tokenised later leaves its old part unused.
 */
export function unpackDocs(
  batch: Omit<TokenBatch, 'vocab'>,
  each: (i: number, docs: TextDoc[]) => void,
): void {
  const { buf, ends, layouts: l } = batch;
  let from = 0;
  for (let i = 0; i < ends.length; i++) {
    const docs: TextDoc[] = [];
    for (let j = 0; j < docsPerCall; j++) {
      const o = (i * docsPerCall + j) * perDoc;
      docs.push(new TextDoc(buf, from + l[o]!, l[o + 1]!, l[o + 2]!, l[o + 3]!, l[o + 4]!));
    }
    from = ends[i]!;
    each(i, docs);
  }
}
