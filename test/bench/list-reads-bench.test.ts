import { describe, expect, it } from 'vitest';
import { listReadFigures, listReadsTable } from '../../bench/list-reads-bench';

describe('the list-read figures', () => {
  const rows = [
    { step: 'empty request { me { role } }', items: 0, lines: 0, seconds: 0.002, serverCpuMs: 0.5 },
    { step: 'prebooks(first: 100) with lines', items: 100, lines: 1000, seconds: 0.03, serverCpuMs: 10 },
  ];

  it('give each page against the empty request of the same run, as the table does', () => {
    const [figure] = listReadFigures('List reads', rows);
    expect(figure).toMatchObject({ table: 'List reads', step: 'prebooks(first: 100) with lines', items: 100, seconds: 0.03, baselineSeconds: 0.002 });
    expect(figure.ratio).toBeCloseTo(15);
    expect(listReadsTable(rows).split('\n').at(-1)).toBe('| prebooks(first: 100) with lines | 100 | 1000 | 30.0 | 15.0 (over) | 10.00 | 20.0 (over) |');
  });

  it('say whether a page meets the target of 5x the empty request', () => {
    const met = [rows[0], { step: 'invoices(first: 50) with lines', items: 50, lines: 500, seconds: 0.008, serverCpuMs: 2 }];
    expect(listReadsTable(met).split('\n').at(-1)).toBe('| invoices(first: 50) with lines | 50 | 500 | 8.0 | 4.0 (met) | 2.00 | 4.0 (met) |');
  });
});
