import type { Logger } from '../logger';

/**
 * Runs `work` now and then every `intervalMs` (0 disables it), never two runs of it at once in this
 * process; a failed run is logged and the next one tries again. stop() ends it. Jobs that must run once
 * across processes take a lock of their own inside `work`.
 */
export function startPeriodic(logger: Logger, what: string, intervalMs: number, work: () => Promise<unknown>): { stop(): void } {
  if (intervalMs <= 0) return { stop() {} };
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await work();
    } catch (error) {
      logger.error({ err: error }, `${what} failed; the next run tries again`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  void tick();
  return { stop: () => clearInterval(timer) };
}
