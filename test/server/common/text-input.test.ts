import { describe, expect, it } from 'vitest';
import { findInvalidText, jsonMayHoldInvalidText } from '../../../server/src/common/text-input';

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

describe('jsonMayHoldInvalidText', () => {
  it('says yes for every JSON text whose value holds text findInvalidText refuses, however it is written', () => {
    const texts = [
      '{"a":"x\\u0000"}',
      '{"a":"\\ud800"}',
      '{"a":"\\uDC00x"}',
      '{"a":"\\uDBFF"}',
      '{"k\\u0000":1}',
      '["ok",["\\uD83D"]]',
      // A lone surrogate as it is (a string that came from elsewhere than UTF-8 bytes).
      `{"a":"\ud800"}`,
      `["x\udfffy"]`,
    ];
    for (const text of texts) {
      expect(findInvalidText(JSON.parse(text), ''), text).not.toBeNull();
      expect(jsonMayHoldInvalidText(text), text).toBe(true);
    }
  });

  it('says no for text with neither escape nor surrogate, so the walk over a push is skipped', () => {
    const lines = Array.from({ length: 100 }, (_, i) => ({ product: `ROSE-${i}`, boxes: i, price: null, note: 'caf\u00e9 "q" \\ \u00e9' }));
    const text = JSON.stringify({ variables: { input: [{ lines }] } });
    expect(findInvalidText(JSON.parse(text), '')).toBeNull();
    expect(jsonMayHoldInvalidText(text)).toBe(false);
    // Paired surrogates (emoji) and an escaped backslash before "u0000" only cost the walk: it finds nothing.
    expect(jsonMayHoldInvalidText('{"a":"🌹"}')).toBe(true);
    expect(findInvalidText(JSON.parse('{"a":"\\\\u0000"}'), '')).toBeNull();
  });
});
