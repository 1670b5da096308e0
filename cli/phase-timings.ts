// Where one run of the tool spends its wall time, for the bench: STEMLINE_SHEET_TIMINGS=1 makes the
// tool print, on stderr, one line `timings {...}` with the milliseconds since its process started
// at each step. A push's critical path reads off it: start-up, reading the workbook and preparing
// its first request, the server's time, then writing the answers back and saving.

export const TIMINGS_ENV = 'STEMLINE_SHEET_TIMINGS';

export type PhaseStep = 'started' | 'opened' | 'firstRequest' | 'lastAnswer' | 'worked' | 'saved';

export class PhaseTimings {
  private readonly at: Partial<Record<PhaseStep, number>> = {};

  /** Notes a step now; a step noted before keeps its first time unless `again`. */
  mark(step: PhaseStep, again = false): void {
    if (again || this.at[step] === undefined) this.at[step] = Math.round(performance.now());
  }

  line(): string {
    return `timings ${JSON.stringify(this.at)}`;
  }
}

/** The timings of a run from its output (the last `timings` line), or undefined when it printed none. */
export function parseTimings(output: string): Partial<Record<PhaseStep, number>> | undefined {
  const lines = output.split('\n').filter((line) => line.startsWith('timings {'));
  if (!lines.length) return undefined;
  return JSON.parse(lines[lines.length - 1].slice('timings '.length)) as Partial<Record<PhaseStep, number>>;
}
