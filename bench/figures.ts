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
  boxes: number;
  seconds: number;
  latency: Latency;
  baselineSeconds: number;
  baselineLatency: Latency;
  rssMb?: number;
}

const ms = (value: number) => value.toFixed(1);

/**
 * The storm as a Markdown table: boxes/s and latency percentiles of both, the server's throughput as a
 * fraction of the baseline's (target ≥ 0.33) and its p99 over its p50 (target ≤ 4).
 */
export function stormTable(rows: StormRow[]): string {
  const lines = [
    '| clients | boxes | boxes/s | p50 ms | p95 ms | p99 ms | raw-SQL boxes/s | raw p50 ms | raw p95 ms | raw p99 ms | throughput / raw SQL | p99 / p50 | server peak RSS MB |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.clients} | ${row.boxes} | ${Math.round(row.boxes / row.seconds)} | ${ms(row.latency.p50)} | ${ms(row.latency.p95)} | ${ms(row.latency.p99)} | ${Math.round(
        row.boxes / row.baselineSeconds,
      )} | ${ms(row.baselineLatency.p50)} | ${ms(row.baselineLatency.p95)} | ${ms(row.baselineLatency.p99)} | ${(row.baselineSeconds / row.seconds).toFixed(2)} | ${(
        row.latency.p99 / row.latency.p50
      ).toFixed(1)} | ${row.rssMb ?? ''} |`,
    );
  }
  return lines.join('\n');
}
