import { describe, expect, it } from 'vitest';
import { latencyOf, percentile, stormTable } from '../../bench/figures';

describe('latency percentiles', () => {
  it('takes the nearest rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });

  it('sorts the latencies it is given', () => {
    expect(latencyOf([30, 10, 20, 40])).toEqual({ p50: 20, p95: 40, p99: 40 });
  });
});

describe('the scan storm table', () => {
  it('shows throughputs, percentiles, the throughput fraction of raw SQL and p99 over p50', () => {
    const table = stormTable([
      {
        clients: 8,
        boxes: 1000,
        seconds: 10,
        latency: { p50: 50, p95: 150, p99: 200 },
        baselineSeconds: 2.5,
        baselineLatency: { p50: 10, p95: 20, p99: 30 },
        rssMb: 300,
      },
    ]);
    expect(table.split('\n')[2]).toBe('| 8 | 1000 | 100 | 50.0 | 150.0 | 200.0 | 400 | 10.0 | 20.0 | 30.0 | 0.25 | 4.0 | 300 |');
  });
});
