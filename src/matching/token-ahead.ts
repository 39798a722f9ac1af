import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { TextDoc } from './text.ts';
import { unpackDocs } from './token-batch.ts';
import type { TokenRequest, TokenWorkerData, TokenWorkerMessage } from './token-worker.ts';
import { adoptVocab, vocabSince } from './vocab.ts';

/**
 * Tokenising on the second core during a first full match, the largest part of it. A worker
 * thread is started with the run; until it has loaded, this thread tokenises and scores calls
 * itself, then it posts the texts of the following calls to the worker in batches and scores
 * each batch the worker answers while it tokenises the next. The run stays synchronous:
 * answers are taken with `receiveMessageOnPort`, and at the end this thread blocks on a shared
 * counter (`Atomics.wait`), so no other code runs in between and this thread's vocabulary stays
 * where the worker's started.
 */

/** Calls per batch: large enough that posting is cheap, small enough that scoring starts early. */
const batchSize = 250;
/** A worker silent this long is given up (the caller tokenises the rest itself). */
const silentMs = 30_000;

export interface TokenHelper<C> {
  /** Whether the worker has loaded (cheap: call it between calls). */
  ready(): boolean;
  /** Waits until the worker has loaded or failed; whether it loaded. */
  waitReady(): boolean;
  /**
   * From now on the worker tokenises: `add` posts a call's texts, and `each` gets each call
   * with its docs, in the order added, as the answers come in. This thread must not tokenise
   * anything new until `finish`.
   */
  begin(each: (call: C, docs: TextDoc[]) => void): void;
  add(call: C, texts: string[]): void;
  /**
   * Waits for the remaining answers and stops the worker. Undefined when every call added was
   * handed over, else why not: those handed over stay handed over, the caller tokenises the
   * others itself.
   */
  finish(): string | undefined;
  /** Stops the worker without waiting (when it was not needed). */
  stop(): void;
}

/** The worker's default entry; tests give another. */
export const tokenWorkerEntry = new URL('./token-worker-boot.mjs', import.meta.url);

export function startTokenHelper<C>(entry: URL = tokenWorkerEntry): TokenHelper<C> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const data: TokenWorkerData = { port: port2, flag };
  let failed: string | undefined;
  let worker: Worker | undefined;
  try {
    worker = new Worker(entry, {
      workerData: data,
      transferList: [port2],
    });
    worker.unref();
  } catch (err) {
    failed = err instanceof Error ? err.message : String(err);
  }
  let isReady = false;
  let seen = 0;
  let each: ((call: C, docs: TextDoc[]) => void) | undefined;
  /** Calls per posted batch, oldest first, not answered yet. */
  const waiting: C[][] = [];
  let calls: C[] = [];
  let texts: string[][] = [];
  let seq = 0;
  let answered = 0;

  /** Handles the next message; waits for one when `block`. False when there was none (or a failure). */
  const receive = (block: boolean): boolean => {
    if (failed) return false;
    const count = Atomics.load(flag, 0);
    const got = receiveMessageOnPort(port1);
    if (!got) {
      seen = count;
      if (block && Atomics.wait(flag, 0, count, silentMs) === 'timed-out')
        failed = `no answer for ${silentMs / 1000} s`;
      return block && !failed;
    }
    const m = got.message as TokenWorkerMessage;
    if (m.kind === 'error') failed = m.message;
    else if (m.kind === 'ready') isReady = true;
    else if (m.seq !== answered) failed = `answer ${m.seq} where ${answered} was due`;
    else if (!adoptVocab(m.vocab)) failed = 'the vocabulary changed while the worker tokenised';
    else {
      answered++;
      const batch = waiting.shift()!;
      unpackDocs(m, (i, docs) => each!(batch[i]!, docs));
    }
    return !failed;
  };

  const post = () => {
    if (calls.length === 0) return;
    port1.postMessage({ seq: seq++, texts } satisfies TokenRequest);
    waiting.push(calls);
    calls = [];
    texts = [];
  };

  const stop = () => {
    port1.close();
    void worker?.terminate();
  };

  return {
    ready() {
      if (!isReady && !failed && Atomics.load(flag, 0) !== seen) receive(false);
      return isReady;
    },
    waitReady() {
      while (!isReady && !failed) receive(true);
      return isReady;
    },
    begin(fn) {
      each = fn;
      port1.postMessage({ vocab: vocabSince({ tokens: 0, stems: 0, surfaces: 0 }) } satisfies TokenRequest);
    },
    add(call, callTexts) {
      if (failed) return;
      calls.push(call);
      texts.push(callTexts);
      if (calls.length < batchSize) return;
      post();
      while (Atomics.load(flag, 0) !== seen && receive(false));
    },
    finish() {
      if (!failed) post();
      while (!failed && waiting.length > 0) receive(true);
      stop();
      return failed;
    },
    stop,
  };
}
