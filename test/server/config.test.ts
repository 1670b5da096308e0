import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../server/src/config';

describe('STEMLINE_WORKERS', () => {
  it('is one process unless told otherwise', () => {
    expect(readConfig({}).workers).toBe(1);
    expect(readConfig({ STEMLINE_WORKERS: '' }).workers).toBe(1);
  });

  it('takes a number of processes, or auto for one per CPU core', () => {
    expect(readConfig({ STEMLINE_WORKERS: '3' }).workers).toBe(3);
    expect(readConfig({ STEMLINE_WORKERS: 'auto' }).workers).toBe(os.availableParallelism());
  });

  it('refuses anything else, saying what it takes', () => {
    for (const bad of ['0', '-2', '1.5', 'two']) {
      expect(() => readConfig({ STEMLINE_WORKERS: bad })).toThrow(
        `STEMLINE_WORKERS must be a whole number of at least 1, or auto (one per CPU core), got "${bad}"`,
      );
    }
  });
});
