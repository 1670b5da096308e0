import {
  applyCheckResult,
  applyPushResult,
  groupRows,
  idempotencyKey,
  prepareDocument,
  type DocumentResult,
  type DocumentSheetSpec,
  type PreparedPush,
  type ServerError,
} from './documents';
import { lineIdsForRows } from './prebooks.sheet';
import type { RowUpdate, SheetRow } from './tables';

/** Lines per request of a confirmation from a sheet (and at most per request of a rejected documents' dry run). */
export const CHUNK_LINES = 1000;
/** Chunks of one push in flight at once: the server's processes work on them side by side. */
export const PUSH_CONCURRENCY = 2;
/**
 * Lines per request of a document push. Each request costs the server a fixed part (its
 * transaction, idempotency record and master-data look-ups): 5,000 lines went faster in two
 * requests of 2,500, one per server process, than in five of 1,000; one of 5,000 kept the second
 * process idle. A fixed size, not a share of the sheet: rows added to the end of a sheet between a
 * failed push and its retry leave the chunks before them, and so their keys, as they were.
 */
export const PUSH_CHUNK_LINES = 2500;

export interface PushAnswer {
  results: DocumentResult[];
  errors: ServerError[];
  /** Saved prebooks with the ids of their lines by line number, for the Line Id column. */
  prebooks?: Array<{ number: string; lineIds: string[] }>;
}

export interface PushOptions {
  /** Sends one chunk of documents with its idempotency key. */
  send(input: unknown[], key: string): Promise<PushAnswer>;
  operation: string;
  onProgress?(done: number, total: number): void;
  /**
   * The row updates of each chunk as its answer comes, while later chunks are still at the server
   * (a table adapter that writes rows cheaply writes them then); pushRows returns them all the same.
   */
  onChunk?(updates: Map<number, RowUpdate>): void | Promise<void>;
  /** Checked between chunks: what was sent stays sent, the rest is left for the next push. */
  signal?: AbortSignal;
  /**
   * Sends documents that failed the local checks as a dry run (nothing is
   * written), so their rows also get the server's errors in this push.
   */
  check?(input: unknown[]): Promise<Pick<PushAnswer, 'errors'>>;
}

/** Waits for the next task: what a finished request lets go first (the next chunk) goes before its answer is worked out. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Where the chunk of documents that starts at `start` ends: at most maxLines lines (a larger document goes alone). */
function chunkEnd(documents: ReadonlyArray<{ rows: unknown[] }>, start: number, maxLines: number): number {
  let end = start;
  let lines = 0;
  while (end < documents.length && (end === start || lines + documents[end].rows.length <= maxLines)) lines += documents[end++].rows.length;
  return end;
}

/** Documents in chunks of at most CHUNK_LINES lines (a larger document goes alone). */
function chunks<T extends { rows: unknown[] }>(documents: T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < documents.length;) {
    const end = chunkEnd(documents, start, CHUNK_LINES);
    result.push(documents.slice(start, end));
    start = end;
  }
  return result;
}

/**
 * Pushes a table's rows: documents grouped and checked locally, unchanged ones
 * skipped, the rest sent in chunks, each with a key made from its content (a
 * retry after a network failure is written once). Returns the row updates.
 */
export async function pushRows<H, L>(spec: DocumentSheetSpec<H, L>, rows: SheetRow[], options: PushOptions): Promise<Map<number, RowUpdate>> {
  const groups = groupRows(rows, spec.numberColumn);
  const prepared: Required<PreparedPush<H & { lines: L[] }>> = { documents: [], updates: new Map(), rejected: [] };
  const updates = prepared.updates;
  let next = 0;
  const linesOf = (documents: Array<{ rows: unknown[] }>) => documents.reduce((sum, d) => sum + d.rows.length, 0);
  // The first chunk goes as soon as its documents are read (and the one after them, which shows where
  // the chunk ends); the other documents are read while the server works on it.
  // Lines of the documents to send read so far, counted as each is read (a sheet of one-line documents has thousands).
  let firstLines = 0;
  while (next < groups.length && firstLines <= PUSH_CHUNK_LINES) {
    const sending = prepared.documents.length;
    prepareDocument(spec, groups[next++], prepared);
    if (prepared.documents.length > sending) firstLines += prepared.documents[sending].rows.length;
  }
  const prepareRest = () => {
    while (next < groups.length) prepareDocument(spec, groups[next++], prepared);
  };
  let done = 0;
  // Chunks go PUSH_CONCURRENCY at a time (their documents are independent, each keeps its own key);
  // the first failure is thrown once the chunks already in flight have settled. A chunk's key is made
  // before a place is free, so the next chunk leaves as soon as an answer comes; the answer's rows are
  // worked out (and handed to onChunk) after that.
  const inFlight = new Set<Promise<void>>();
  const answers: Array<Promise<void>> = [];
  let failure: { error: unknown } | undefined;
  const cancel = (from: number) => {
    prepareRest();
    for (const doc of prepared.documents.slice(from))
      for (const row of doc.rows) updates.set(row.row, { Status: 'CANCELLED', Message: 'not sent: the push was cancelled' });
  };
  for (let start = 0; start < prepared.documents.length && !failure;) {
    if (options.signal?.aborted) {
      cancel(start);
      break;
    }
    const end = chunkEnd(prepared.documents, start, PUSH_CHUNK_LINES);
    const chunk = { documents: prepared.documents.slice(start, end), updates: new Map<number, RowUpdate>() };
    const lines = linesOf(chunk.documents);
    const input = chunk.documents.map((d) => d.input);
    const key = await idempotencyKey(options.operation, input);
    if (inFlight.size >= PUSH_CONCURRENCY) await Promise.race(inFlight);
    if (failure) break;
    if (options.signal?.aborted) {
      cancel(start);
      break;
    }
    const sent = options.send(input, key);
    const answered: Promise<void> = sent.then(
      () => {
        inFlight.delete(answered);
      },
      (error: unknown) => {
        inFlight.delete(answered);
        failure ??= { error };
      },
    );
    inFlight.add(answered);
    answers.push(
      sent
        .then(async (answer) => {
          await nextTask();
          const saved = new Map((answer.prebooks ?? []).map((p) => [p.number, p]));
          const chunkUpdates = applyPushResult(spec, chunk, answer, (i, docRows) => {
            const number = answer.results.find((r) => r.index === i + 1)?.number;
            const prebook = number ? saved.get(number) : undefined;
            return prebook ? lineIdsForRows(docRows, prebook.lineIds) : new Map();
          });
          for (const [row, update] of chunkUpdates) updates.set(row, update);
          await options.onChunk?.(chunkUpdates);
          done += lines;
          // Every document is read by now: the rest were read right after the first chunk was sent.
          options.onProgress?.(done, linesOf(prepared.documents));
        })
        .catch((error: unknown) => {
          failure ??= { error };
        }),
    );
    prepareRest();
    start = end;
  }
  await Promise.all(answers);
  if (failure) throw failure.error;
  prepareRest();
  if (options.check && !options.signal?.aborted) {
    for (const rejected of chunks(prepared.rejected)) {
      let answer: Pick<PushAnswer, 'errors'>;
      try {
        answer = await options.check(rejected.map((d) => d.input));
      } catch {
        // A server without dry runs, or a network failure: the local errors stand on their own.
        continue;
      }
      for (const [row, update] of applyCheckResult(spec, rejected, answer)) updates.set(row, update);
    }
  }
  return updates;
}
