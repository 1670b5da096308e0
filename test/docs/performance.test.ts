import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  END_MARKER,
  figuresTable,
  keptRun,
  PERFORMANCE_JSON,
  PERFORMANCE_PAGE,
  performanceTables,
  START_MARKER,
  tablesOf,
  withTables,
  type BenchRun,
} from '../../scripts/performance-table';

const run = (figures: BenchRun['figures'], options: Record<string, unknown> = {}): BenchRun => ({
  date: '2026-12-01',
  cpus: 2,
  cpuModel: 'AMD EPYC',
  node: 'v20.20.2',
  options: { sizes: '1000,10000', chunk: '1000', 'storm-boxes': '5000', clients: '8,32', workers: '2', ...options },
  figures,
});

describe('the figures of docs/performance.md', () => {
  it('are the tables of docs/performance.json (run npm run docs:performance when this fails)', () => {
    const runs = JSON.parse(fs.readFileSync(PERFORMANCE_JSON, 'utf8')) as BenchRun[];
    expect(runs.length).toBeGreaterThan(0);
    expect(tablesOf(fs.readFileSync(PERFORMANCE_PAGE, 'utf8'))).toBe(performanceTables(runs));
  });

  it('keep no path of the machine the bench ran on', () => {
    const runs = JSON.parse(fs.readFileSync(PERFORMANCE_JSON, 'utf8')) as BenchRun[];
    for (const one of runs) expect(one.options).not.toHaveProperty('json');
  });
});

describe('npm run docs:performance', () => {
  it('shows the columns the figures of a table have, and only those', () => {
    const table = figuresTable([
      { table: 'T', step: 'confirmStaging', items: 1000, seconds: 2, baseline: 'raw SQL', baselineSeconds: 1, ratio: 2, rssMb: 200 },
      { table: 'T', step: 'massAllocate | all', items: 500, seconds: 0.05 },
    ]);
    expect(table).toBe(
      [
        '| step | items | wall s | items/s | baseline | baseline s | x baseline | server peak RSS MB |',
        '|---|---:|---:|---:|---|---:|---:|---:|',
        '| confirmStaging | 1,000 | 2.00 | 500 | raw SQL | 1.00 | 2.00 | 200 |',
        '| massAllocate \\| all | 500 | 0.050 | 10,000 |  |  |  |  |',
      ].join('\n'),
    );
  });

  it('gives the scan storm its latencies and CPU per box', () => {
    const table = figuresTable([
      {
        table: 'S',
        step: 'scan storm, 8 clients',
        items: 5000,
        seconds: 50,
        baseline: 'raw SQL',
        baselineSeconds: 20,
        ratio: 2.5,
        p50: 40,
        p95: 90.25,
        p99: 120,
        baselineP50: 10,
        baselineP95: 20,
        baselineP99: 30,
        cpuMsPerBox: { server: 9.5, postgres: 4, clients: 1.2, baselinePostgres: 2, baselineClients: 0.3 },
      },
    ]);
    expect(table).toContain('| 40.0 / 90.3 / 120.0 | 10.0 / 20.0 / 30.0 | 9.5 + 4 + 1.2 (2 + 0.3) |');
  });

  it('says how each run was made, by its command, and titles each table', () => {
    const text = performanceTables([
      run([{ table: 'Printable documents', step: 'labels', items: 500, seconds: 0.4 }], { only: 'documents' }),
      run([{ table: '1,000 boxes', step: 'ship', items: 1000, seconds: 1 }], { sizes: '1000' }),
    ]);
    expect(text).toContain('`npm run bench -- --only documents` on 2026-12-01: 2 x AMD EPYC, Node v20.20.2.');
    expect(text).toContain('`npm run bench -- --sizes 1000` on 2026-12-01');
    expect(text).toContain('#### Printable documents\n\n| step |');
  });

  it('drops the path the JSON was written to, and refuses what the bench did not write', () => {
    expect(keptRun(run([], { json: '/tmp/bench.json' })).options).not.toHaveProperty('json');
    expect(() => keptRun({ hello: 1 } as unknown as BenchRun)).toThrow(/npm run bench -- --json FILE/);
  });

  it('replaces what stands between the markers and nothing else', () => {
    const page = `# P\n\nbefore\n\n${START_MARKER}\n\nold\n\n${END_MARKER}\n\nafter\n`;
    const updated = withTables(page, 'new');
    expect(updated).toBe(`# P\n\nbefore\n\n${START_MARKER}\n\nnew\n\n${END_MARKER}\n\nafter\n`);
    expect(tablesOf(updated)).toBe('new');
    expect(() => withTables('# no markers', 'new')).toThrow(/lost its markers/);
  });
});
