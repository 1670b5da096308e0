import { describe, expect, it } from 'vitest';
import { findInvalidText } from '../../../server/src/common/text-input';

describe('findInvalidText', () => {
  it('names the first text that cannot be stored by its path: object keys, then array positions (0-based, as in the JSON)', () => {
    const body = { query: 'mutation', variables: { input: [{ ref: 'a', lines: [{ product: 'ok' }, { product: 'x\u0000' }] }, { ref: '\ud800' }] } };
    expect(findInvalidText(body, '')).toEqual({ path: 'variables.input.0.lines.1.product', problem: 'Text may not contain the NUL character (U+0000)' });
    expect(findInvalidText({ variables: { ref: 'a\udc00b' } }, 'body')).toEqual({
      path: 'body.variables.ref',
      problem: 'Text must be valid Unicode: it contains a lone UTF-16 surrogate',
    });
    expect(findInvalidText(['ok', ['fine', 'bad\u0000']], '')).toMatchObject({ path: '.1.1' });
  });

  it('names an object key that cannot be stored after a dot, even at the top', () => {
    expect(findInvalidText({ variables: { 'k\u0000': 1 } }, '')).toMatchObject({ path: 'variables.k\u0000' });
    expect(findInvalidText({ 'k\u0000': 1 }, '')).toMatchObject({ path: '.k\u0000' });
  });

  it('finds nothing in valid text, numbers, booleans and nulls, and accepts paired surrogates', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => ({ product: `ROSE-${i}`, boxes: i, price: null, holiday: false, note: '🌹' }));
    expect(findInvalidText({ variables: { input: [{ lines }] } }, '')).toBeNull();
  });
});
