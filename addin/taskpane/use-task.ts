import { useCallback, useRef, useState } from 'react';
import { explainError } from '../api/connection-errors';
import type { Outcome } from '../workflows/table-io';

export interface TaskState {
  running: boolean;
  label: string;
  done: number;
  total: number;
  outcome: Outcome | null;
  /** The technical side of a failed task (status, code, endpoint), shown folded away under its outcome. */
  detail?: string;
}

/** One long operation at a time, with progress and a cancel button (checked between chunks). */
export function useTask(connection: { serverUrl: string; token?: string }) {
  const [state, setState] = useState<TaskState>({ running: false, label: '', done: 0, total: 0, outcome: null });
  const controller = useRef<AbortController | null>(null);
  const where = useRef(connection);
  where.current = connection;

  const run = useCallback(async (label: string, work: (signal: AbortSignal, progress: (done: number, total: number) => void) => Promise<Outcome>) => {
    controller.current = new AbortController();
    setState({ running: true, label, done: 0, total: 0, outcome: null });
    try {
      const outcome = await work(controller.current.signal, (done, total) => setState((s) => ({ ...s, done, total })));
      const intent = controller.current?.signal.aborted && outcome.intent === 'success' ? 'warning' : outcome.intent;
      setState((s) => ({ ...s, running: false, outcome: { ...outcome, intent } }));
    } catch (error) {
      const { message, detail } = explainError(error, where.current);
      setState((s) => ({ ...s, running: false, outcome: { intent: 'error', text: message, problems: [] }, detail }));
    }
  }, []);

  const cancel = useCallback(() => controller.current?.abort(), []);
  return { state, run, cancel };
}
