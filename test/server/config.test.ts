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

describe('STEMLINE_ADMIN_TOKEN', () => {
  it('accepts a long random token and refuses white space, short tokens and tokens of a few characters repeated', () => {
    const good = 'Zq3v8Kf1pLx0Wn6TbR2yHs9mJc4dGa7E';
    expect(readConfig({ STEMLINE_ADMIN_TOKEN: good }).adminToken).toBe(good);
    expect(() => readConfig({ STEMLINE_ADMIN_TOKEN: ' '.repeat(32) })).toThrow(/white space/);
    expect(() => readConfig({ STEMLINE_ADMIN_TOKEN: `${good} ` })).toThrow(/white space/);
    expect(() => readConfig({ STEMLINE_ADMIN_TOKEN: 'a'.repeat(40) })).toThrow(/only 1 different character; it needs at least 8/);
    expect(() => readConfig({ STEMLINE_ADMIN_TOKEN: 'abab'.repeat(10) })).toThrow(/only 2 different characters/);
    expect(() => readConfig({ STEMLINE_ADMIN_TOKEN: 'short' })).toThrow(/5 characters long; it must have at least 32/);
  });
});
