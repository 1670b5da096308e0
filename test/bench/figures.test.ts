import { describe, expect, it } from 'vitest';
import { benchJson, figure, latencyOf, percentile, stepsTable, stormCpuTable, stormFigures, stormTable } from '../../bench/figures';

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
  const row = {
    clients: 8,
    workers: 2,
    boxes: 1000,
    seconds: 10,
    latency: { p50: 50, p95: 150, p99: 200 },
    baselineSeconds: 2.5,
    baselineLatency: { p50: 10, p95: 20, p99: 30 },
  };

  it('shows throughputs, percentiles, the throughput fraction of raw SQL and p99 over p50', () => {
    const table = stormTable([{ ...row, rssMb: 300 }]);
    expect(table.split('\n')[2]).toBe('| 8 | 2 | 1000 | 100 | 50.0 | 150.0 | 200.0 | 400 | 10.0 | 20.0 | 30.0 | 0.25 | 4.0 | 300 |');
  });

  it('shows the CPU of a box by process on both sides, and the server total over the raw-SQL total', () => {
    const measured = {
      ...row,
      clients: 32,
      cpu: { server: 8.04, postgres: 2.5, clients: 1.0, baselinePostgres: 1.6, baselineClients: 0.7, serverPerEmptyRequest: 0.66 },
    };
    const table = stormCpuTable([measured, row]);
    expect(table.split('\n').slice(2)).toEqual(['| 32 | 2 | 8.0 | 2.5 | 1.0 | 11.5 | 1.6 | 0.7 | 2.3 | 5.0 | 0.7 |']);
    const [figure] = stormFigures('Storm', [measured]);
    expect(figure.cpuMsPerBox).toEqual({ server: 8.04, postgres: 2.5, clients: 1, baselinePostgres: 1.6, baselineClients: 0.7 });
    expect(figure.serverCpuMsPerEmptyRequest).toBe(0.66);
  });
});

describe('the steps table and the JSON of a run', () => {
  const rows = [
    figure({ table: 'T', step: 'savePrebooks (one call)', items: 5000, seconds: 1.5, baseline: 'raw SQL', baselineSeconds: 0.5, rssMb: 240 }),
    figure({ table: 'T', step: 'start-up', items: 1, seconds: 0.4567 }),
  ];

  it('computes the ratio from the two times, only where there is a baseline', () => {
    expect(rows[0].ratio).toBe(3);
    expect(rows[1]).not.toHaveProperty('ratio');
  });

  it('prints every figure of a step', () => {
    const [, , first, second] = stepsTable(rows).split('\n');
    expect(first).toBe('| savePrebooks (one call) | 5000 | 1.50 | 3333 | raw SQL | 0.50 | 3.00 | 240 |');
    expect(second).toBe('| start-up | 1 | 0.46 | 2 |  |  |  |  |');
  });

  it('writes every figure, rounded, in a fixed key order, leaving out what a figure does not have', () => {
    const storm = stormFigures('Storm', [
      {
        clients: 8,
        boxes: 1000,
        seconds: 10.12345,
        latency: { p50: 50.04, p95: 150, p99: 200.06 },
        baselineSeconds: 2.5,
        baselineLatency: { p50: 10, p95: 20, p99: 30 },
      },
    ]);
    const json = JSON.parse(
      benchJson({ date: '2026-11-29', cpus: 2, cpuModel: 'AMD EPYC', node: 'v20', options: { only: 'scan-storm' } }, [...rows, ...storm]),
    );
    expect(json).toMatchObject({ date: '2026-11-29', cpus: 2, options: { only: 'scan-storm' } });
    expect(json.figures[1]).toEqual({ table: 'T', step: 'start-up', items: 1, seconds: 0.457 });
    expect(json.figures[2]).toEqual({
      table: 'Storm',
      step: 'scan storm, 8 clients, 1 server process',
      items: 1000,
      seconds: 10.123,
      baseline: 'raw SQL',
      baselineSeconds: 2.5,
      ratio: 4.049,
      p50: 50,
      p95: 150,
      p99: 200.1,
      baselineP50: 10,
      baselineP95: 20,
      baselineP99: 30,
    });
    expect(Object.keys(json.figures[0])).toEqual(['table', 'step', 'items', 'seconds', 'baseline', 'baselineSeconds', 'ratio', 'rssMb']);
  });
});
