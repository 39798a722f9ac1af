import type { MessagePort } from 'node:worker_threads';
import { workerData } from 'node:worker_threads';
import { packTexts, type TokenBatch } from './token-batch.ts';
import { adoptVocab, type VocabDelta, vocabMark, vocabSince } from './vocab.ts';

/**
 * The tokenising worker's thread (see token-ahead.ts). Once loaded it says so; then it takes
 * over the main thread's vocabulary and tokenises the texts the main thread posts, batch after
 * batch in the order posted. New words get the ids the main thread would have given them: both
 * vocabularies are equal at the start, and only this thread adds to them until the main thread
 * adopts each answer's delta.
 */

export interface TokenWorkerData {
  port: MessagePort;
  /** Incremented after each message, so the main thread can wait without its event loop. */
  flag: Int32Array;
}

/** Main thread to worker: the vocabulary (first), then texts to tokenise (per call, per doc). */
export type TokenRequest = { vocab: VocabDelta } | { seq: number; texts: string[][] };

export type TokenWorkerMessage =
  | { kind: 'ready' }
  | ({ kind: 'batch'; seq: number } & TokenBatch)
  | { kind: 'error'; message: string };

const data = workerData as TokenWorkerData;

function post(message: TokenWorkerMessage, transfer: ArrayBuffer[] = []): void {
  data.port.postMessage(message, transfer);
  Atomics.add(data.flag, 0, 1);
  Atomics.notify(data.flag, 0);
}

let mark = vocabMark();
data.port.on('message', (req: TokenRequest) => {
  try {
    if ('vocab' in req) {
      if (!adoptVocab(req.vocab)) throw new Error('the worker’s vocabulary was not empty');
      mark = vocabMark();
      return;
    }
    const packed = packTexts(req.texts);
    // Taken after tokenising: the delta holds every word the batch's docs use.
    const vocab = vocabSince(mark);
    mark = vocabMark();
    const transfer = [packed.buf.buffer, packed.ends.buffer, packed.layouts.buffer] as ArrayBuffer[];
    post({ kind: 'batch', seq: req.seq, ...packed, vocab }, transfer);
  } catch (err) {
    post({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
    data.port.close();
  }
});
post({ kind: 'ready' });
