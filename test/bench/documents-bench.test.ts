import { describe, expect, it } from 'vitest';
import { documentFigures } from '../../bench/documents-bench';

describe('the documents figures', () => {
  it('compare the time per label with one label alone, as the table does', () => {
    const figures = documentFigures('Printable documents', [
      { step: 'one', items: 1, seconds: 0.02, bytes: 1000 },
      { step: 'PO', items: 500, seconds: 5, bytes: 400000 },
    ]);
    expect(figures[0].ratio).toBe(1);
    expect(figures[1]).toMatchObject({ table: 'Printable documents', items: 500, baselineSeconds: 0.02, bytes: 400000 });
    expect(figures[1].ratio).toBeCloseTo(0.5);
  });
});
