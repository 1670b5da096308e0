// The benchmark's figures: latency percentiles, and the tables (Markdown) and JSON they are printed as.
// Pure functions, unit-tested in test/bench/figures.test.ts.

/** Nearest-rank percentile of values sorted ascending (p in 0..100); 0 for none. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
}

/** p50, p95 and p99 of latencies in ms. */
export function latencyOf(ms: number[]): Latency {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

/** One scan-storm measurement: the server and the raw-SQL baseline at one concurrency. */
export interface StormRow {
  clients: number;
  /** Server processes (STEMLINE_WORKERS). */
  workers?: number;
  boxes: number;
  seconds: number;
  latency: Latency;
  baselineSeconds: number;
  baselineLatency: Latency;
  rssMb?: number;
  /** CPU time (user + system) per box, ms, read from /proc: steadier than wall time on a shared machine. */
  cpu?: StormCpu;
}

/** Where the CPU of a scanned box goes, ms per box, on both sides; and a request's fixed cost on the server. */
export interface StormCpu {
  /** The server's processes (workers included). */
  server: number;
  /** PostgreSQL's processes serving the server. */
  postgres: number;
  /** The bench's clients sending the scans over HTTP. */
  clients: number;
  baselinePostgres: number;
  /** The raw-SQL clients (pg in the bench process). */
  baselineClients: number;
  /** The server's CPU per empty request (`{ __typename }`) at the same concurrency: HTTP, GraphQL and the token check. */
  serverPerEmptyRequest: number;
}

const ms = (value: number) => value.toFixed(1);

/**
 * The storm as a Markdown table: boxes/s and latency percentiles of both, the server's throughput as a
 * fraction of the baseline's (target ≥ 0.33) and its p99 over its p50 (target ≤ 4).
 */
export function stormTable(rows: StormRow[]): string {
  const lines = [
    '| clients | server processes | boxes | boxes/s | p50 ms | p95 ms | p99 ms | raw-SQL boxes/s | raw p50 ms | raw p95 ms | raw p99 ms | throughput / raw SQL | p99 / p50 | server peak RSS MB |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.clients} | ${row.workers ?? 1} | ${row.boxes} | ${Math.round(row.boxes / row.seconds)} | ${ms(row.latency.p50)} | ${ms(row.latency.p95)} | ${ms(row.latency.p99)} | ${Math.round(
        row.boxes / row.baselineSeconds,
      )} | ${ms(row.baselineLatency.p50)} | ${ms(row.baselineLatency.p95)} | ${ms(row.baselineLatency.p99)} | ${(row.baselineSeconds / row.seconds).toFixed(2)} | ${(
        row.latency.p99 / row.latency.p50
      ).toFixed(1)} | ${row.rssMb ?? ''} |`,
    );
  }
  return lines.join('\n');
}

/**
 * The storm's CPU per box on both sides, by process: the machine's cores bound a side's throughput at
 * cores / (its total CPU per box) once it is CPU-bound, whatever the noise of a shared machine.
 */
export function stormCpuTable(rows: StormRow[]): string {
  const lines = [
    '| clients | server processes | server ms | its postgres ms | its HTTP clients ms | total ms | raw-SQL postgres ms | raw-SQL clients ms | raw total ms | total / raw total | server ms per empty request |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { clients, workers, cpu } of rows) {
    if (!cpu) continue;
    const total = cpu.server + cpu.postgres + cpu.clients;
    const rawTotal = cpu.baselinePostgres + cpu.baselineClients;
    lines.push(
      `| ${clients} | ${workers ?? 1} | ${ms(cpu.server)} | ${ms(cpu.postgres)} | ${ms(cpu.clients)} | ${ms(total)} | ${ms(cpu.baselinePostgres)} | ${ms(cpu.baselineClients)} | ${ms(rawTotal)} | ${(total / rawTotal).toFixed(1)} | ${ms(cpu.serverPerEmptyRequest)} |`,
    );
  }
  return lines.join('\n');
}

/** Every figure of the tables, one record per step, as `--json FILE` writes them. */
export interface Figure {
  /** The table it is printed in. */
  table: string;
  /** The history the step ran on (`--history`), its baseline being the same step on the empty database. */
  history?: string;
  step: string;
  items: number;
  seconds: number;
  /** What the step is measured against: raw SQL, the bare savePrebooks call, one label alone. */
  baseline?: string;
  baselineSeconds?: number;
  /** seconds / baselineSeconds (per item, for the documents: ms per label over one label alone). */
  ratio?: number;
  /** Latency percentiles in ms, where each item was its own request. */
  p50?: number;
  p95?: number;
  p99?: number;
  baselineP50?: number;
  baselineP95?: number;
  baselineP99?: number;
  /** The server's peak resident memory (VmHWM) so far, MB. */
  rssMb?: number;
  /** The scan storm's CPU per box by process, ms. */
  cpuMsPerBox?: Omit<StormCpu, 'serverPerEmptyRequest'>;
  serverCpuMsPerEmptyRequest?: number;
  /** The server's CPU per request, ms (list reads), its ratio to the empty request's, and the ratio aimed at. */
  serverCpuMs?: number;
  cpuRatio?: number;
  targetRatio?: number;
  bytes?: number;
}

/** A timed step; its ratio is computed from the two times. */
export function figure(fields: Omit<Figure, 'ratio'>): Figure {
  return fields.baselineSeconds ? { ...fields, ratio: fields.seconds / fields.baselineSeconds } : fields;
}

/** The steps of one table as Markdown: wall time, items/s, and the ratio to the step's baseline. */
export function stepsTable(figures: Figure[]): string {
  const lines = ['| step | items | wall s | items/s | baseline | baseline s | x baseline | server peak RSS MB |', '|---|---:|---:|---:|---|---:|---:|---:|'];
  for (const f of figures) {
    lines.push(
      `| ${f.step} | ${f.items} | ${f.seconds.toFixed(2)} | ${Math.round(f.items / f.seconds)} | ${f.baseline ?? ''} | ${f.baselineSeconds?.toFixed(2) ?? ''} | ${
        f.ratio?.toFixed(2) ?? ''
      } | ${f.rssMb ?? ''} |`,
    );
  }
  return lines.join('\n');
}

/** The storm's rows as figures: time ratio to raw SQL (1 / the throughput fraction), and both sides' percentiles. */
export function stormFigures(table: string, rows: StormRow[]): Figure[] {
  return rows.map((row) => ({
    ...figure({
      table,
      step: `scan storm, ${row.clients} clients, ${row.workers ?? 1} server process${(row.workers ?? 1) > 1 ? 'es' : ''}`,
      items: row.boxes,
      seconds: row.seconds,
      baseline: 'raw SQL',
      baselineSeconds: row.baselineSeconds,
      rssMb: row.rssMb,
    }),
    ...row.latency,
    baselineP50: row.baselineLatency.p50,
    baselineP95: row.baselineLatency.p95,
    baselineP99: row.baselineLatency.p99,
    ...(row.cpu && {
      cpuMsPerBox: {
        server: round(row.cpu.server, 2),
        postgres: round(row.cpu.postgres, 2),
        clients: round(row.cpu.clients, 2),
        baselinePostgres: round(row.cpu.baselinePostgres, 2),
        baselineClients: round(row.cpu.baselineClients, 2),
      },
      serverCpuMsPerEmptyRequest: round(row.cpu.serverPerEmptyRequest, 2),
    }),
  }));
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/** The order of a figure's fields in the JSON, the same in every run so that runs diff line by line. */
const FIGURE_KEYS: Array<keyof Figure> = [
  'table',
  'history',
  'step',
  'items',
  'seconds',
  'baseline',
  'baselineSeconds',
  'ratio',
  'p50',
  'p95',
  'p99',
  'baselineP50',
  'baselineP95',
  'baselineP99',
  'rssMb',
  'cpuMsPerBox',
  'serverCpuMsPerEmptyRequest',
  'serverCpuMs',
  'cpuRatio',
  'targetRatio',
  'bytes',
];

/**
 * The run as JSON, to compare runs: when and where, the options, and every figure (seconds to the ms,
 * ratios to 3 decimals, latencies to 0.1 ms); fields a figure does not have are left out.
 */
export function benchJson(run: { date: string; cpus: number; cpuModel: string; node: string; options: Record<string, unknown> }, figures: Figure[]): string {
  const rounded = figures.map((f) => {
    const out: Record<string, unknown> = {};
    for (const key of FIGURE_KEYS) {
      const value = f[key];
      if (value === undefined) continue;
      if (typeof value !== 'number') out[key] = value;
      else if (key === 'seconds' || key === 'baselineSeconds') out[key] = round(value, 3);
      else if (key === 'ratio' || key === 'cpuRatio') out[key] = round(value, 3);
      else if (key === 'serverCpuMs') out[key] = round(value, 2);
      else if (/^(baseline)?[pP]\d+$/.test(key)) out[key] = round(value, 1);
      else out[key] = value;
    }
    return out;
  });
  return `${JSON.stringify({ ...run, figures: rounded }, null, 2)}\n`;
}
