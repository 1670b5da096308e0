import { AsyncLocalStorage } from 'node:async_hooks';
import crypto from 'node:crypto';

const current = new AsyncLocalStorage<string>();

/** Runs one HTTP request under its own id: the response, the request's context and every log line of it carry that id. */
export function withRequestId<T>(run: (requestId: string) => T): T {
  const requestId = crypto.randomUUID();
  return current.run(requestId, () => run(requestId));
}

/** The id of the request being served (a new one outside any request). */
export function currentRequestId(): string {
  return current.getStore() ?? crypto.randomUUID();
}
