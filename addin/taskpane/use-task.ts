import { useCallback, useRef, useState } from 'react';
import type { Outcome } from '../workflows/table-io';

export interface TaskState {
  running: boolean;
  label: string;
  done: number;
  total: number;
  outcome: Outcome | null;
}

/** One long operation at a time, with progress and a cancel button (checked between chunks). */
export function useTask() {
  const [state, setState] = useState<TaskState>({ running: false, label: '', done: 0, total: 0, outcome: null });
  const controller = useRef<AbortController | null>(null);

  const run = useCallback(async (label: string, work: (signal: AbortSignal, progress: (done: number, total: number) => void) => Promise<Outcome>) => {
    controller.current = new AbortController();
    setState({ running: true, label, done: 0, total: 0, outcome: null });
    try {
      const outcome = await work(controller.current.signal, (done, total) => setState((s) => ({ ...s, done, total })));
      const intent = controller.current?.signal.aborted && outcome.intent === 'success' ? 'warning' : outcome.intent;
      setState((s) => ({ ...s, running: false, outcome: { ...outcome, intent } }));
    } catch (error) {
      setState((s) => ({ ...s, running: false, outcome: { intent: 'error', text: error instanceof Error ? error.message : String(error), problems: [] } }));
    }
  }, []);

  const cancel = useCallback(() => controller.current?.abort(), []);
  return { state, run, cancel };
}
