import { describe, expect, it } from 'vitest';
import { decimal, integer, NO_WORDS, YES_WORDS, yesNo, type CellError, type ParseOptions } from '../../../addin/sheets/cells';

const POINT: ParseOptions = { decimalSeparator: '.' };
const COMMA: ParseOptions = { decimalSeparator: ',' };

/** [typed, separator, what Price reads (a decimal string, null for blank), or the start of its error]. */
const PRICES: Array<[string, ParseOptions, string | null | { error: string }]> = [
  // The company's own decimal mark is never a guess.
  ['0.85', POINT, '0.85'],
  ['0,85', COMMA, '0.85'],
  ['1.250', POINT, '1.250'],
  ['1,250', COMMA, '1.250'],
  ['12', POINT, '12'],
  ['007.50', POINT, '7.50'],
  ['.5', POINT, '0.5'],
  [',5', COMMA, '0.5'],
  // The other mark: thousands by threes next to the decimal mark, or two of them.
  ['1,250.50', POINT, '1250.50'],
  ['1.250,50', COMMA, '1250.50'],
  ['1,000,000', POINT, '1000000'],
  ['1.000.000', COMMA, '1000000'],
  // Spaces, non-breaking and narrow ones too, group by threes.
  ['1 250.50', POINT, '1250.50'],
  ['1\u00a0250,50', COMMA, '1250.50'],
  ['1\u202f250\u202f000', POINT, '1250000'],
  ['  0.85\u00a0', POINT, '0.85'],
  // Currency signs and codes, before or after, with the sign on either side.
  ['$1,234.50', POINT, '1234.50'],
  ['€ 0,85', COMMA, '0.85'],
  ['0,85 €', COMMA, '0.85'],
  ['USD 2.10', POINT, '2.10'],
  ['-$1.50', POINT, '-1.50'],
  ['$-1.50', POINT, '-1.50'],
  ['-0,85', COMMA, '-0.85'],
  ['(1.50)', POINT, '-1.50'],
  ['0,00', POINT, '0'],
  ['', POINT, null],
  ['   ', COMMA, null],
  // Two readings: an error naming both, and what to type.
  ['0,85', POINT, { error: 'Price "0,85" could be 0.85 or 85: this company writes numbers with a decimal point (1,250.50), so type 0.85 or 85' }],
  ['1.250', COMMA, { error: 'Price "1.250" could be 1,25 or 1250: this company writes numbers with a decimal comma (1.250,50), so type 1,25 or 1250' }],
  ['1,250', POINT, { error: 'Price "1,250" could be 1.25 or 1250' }],
  ['12,3456', POINT, { error: 'Price "12,3456" could be 12.3456 or 123456' }],
  ['$0,85', POINT, { error: 'Price "$0,85" could be 0.85 or 85' }],
  // Written the other way: not a number here, and what it would be.
  [
    '1.250,50',
    POINT,
    { error: 'Price "1.250,50" is not a number: this company writes numbers with a decimal point (1,250.50); if you mean 1250.50, type 1250.50' },
  ],
  [
    '1,250.50',
    COMMA,
    { error: 'Price "1,250.50" is not a number: this company writes numbers with a decimal comma (1.250,50); if you mean 1250,50, type 1250,50' },
  ],
  ['1.000.000', POINT, { error: 'Price "1.000.000" is not a number: this company writes numbers with a decimal point (1,250.50); if you mean 1000000' }],
  ['1,25,000', POINT, { error: 'Price "1,25,000" is not a number' }],
  ['12 50', POINT, { error: 'Price "12 50" is not a number: spaces may only group digits by threes (1 250)' }],
  ['5%', POINT, { error: 'Price "5%" is not a number: a percentage is not taken here; type the number itself' }],
  ['1e3', POINT, { error: 'Price "1e3" is not a number: type it in full, without an exponent' }],
  ['1,5E+2', COMMA, { error: 'Price "1,5E+2" is not a number: type it in full, without an exponent' }],
  ['abc', POINT, { error: 'Price "abc" is not a number' }],
  ['--1', POINT, { error: 'Price "--1" is not a number' }],
  ['0.123456789012', POINT, { error: 'Price "0.123456789012" has too many digits' }],
];

/** [typed, separator, what Boxes reads, or the start of its error]. */
const COUNTS: Array<[string | number, ParseOptions, number | null | { error: string }]> = [
  [
    '2,5',
    POINT,
    {
      error: 'Boxes "2,5" could be 2.5 or 25: a whole number has no decimals and groups its thousands by threes (1,000); type the number you mean, such as 25',
    },
  ],
  ['2.5', COMMA, { error: 'Boxes "2.5" could be 2,5 or 25' }],
  ['2,5', COMMA, { error: 'Boxes "2,5" is not a whole number' }],
  ['1,000', POINT, 1000],
  ['1.000', COMMA, 1000],
  ['1 000', POINT, 1000],
  ['1,250,000', POINT, 1250000],
  ['12', COMMA, 12],
  ['3.0', POINT, 3],
  ['-2', POINT, -2],
  [7, COMMA, 7],
  [2.5, POINT, { error: 'Boxes "2.5" is not a whole number' }],
  ['1,00', POINT, { error: 'Boxes "1,00" could be 1 or 100' }],
];

describe('numbers typed as text, by the company decimal separator', () => {
  it.each(PRICES)('Price %j with a decimal %s', (typed, options, expected) => {
    const errors: CellError[] = [];
    const value = decimal(typed, 'Price', errors, options);
    if (expected !== null && typeof expected === 'object') {
      expect(value).toBeNull();
      expect(errors).toHaveLength(1);
      expect(errors[0].column).toBe('Price');
      expect(errors[0].message.startsWith(expected.error), errors[0].message).toBe(true);
    } else {
      expect(errors).toEqual([]);
      expect(value).toBe(expected);
    }
  });

  it.each(COUNTS)('Boxes %j with a decimal %s', (typed, options, expected) => {
    const errors: CellError[] = [];
    const value = integer(typed, 'Boxes', errors, options);
    if (expected !== null && typeof expected === 'object') {
      expect(value).toBeNull();
      expect(errors.map((e) => e.column)).toEqual(['Boxes']);
      expect(errors[0].message.startsWith(expected.error), errors[0].message).toBe(true);
    } else {
      expect(errors).toEqual([]);
      expect(value).toBe(expected);
    }
  });

  it('uses real Excel numbers as they are, whatever the separator', () => {
    const errors: CellError[] = [];
    expect([decimal(0.85, 'Price', errors, COMMA), decimal(1250.5, 'Price', errors, POINT), integer(1250, 'Boxes', errors, COMMA)]).toEqual([
      '0.85',
      '1250.5',
      1250,
    ]);
    expect(errors).toEqual([]);
  });
});

describe('yes/no cells', () => {
  it('take yes, y, x, ✓, ok, done, confirmed, true, 1, si, sí in any case as yes, and blank, no, n, false, 0 as no', () => {
    const errors: CellError[] = [];
    const yes = [...YES_WORDS, ...YES_WORDS.map((w) => w.toUpperCase()), ' Ok ', 'Sí', 'SÍ', 'si\u0301', true, 1];
    expect(yes.map((v) => yesNo(v, 'Confirm', errors))).toEqual(yes.map(() => true));
    const no = [...NO_WORDS, 'NO', 'False', '', '  ', null, undefined, false, 0];
    expect(no.map((v) => yesNo(v, 'Confirm', errors))).toEqual(no.map(() => false));
    expect(errors).toEqual([]);
  });

  it('make anything else an error on the row, never a no', () => {
    const errors: CellError[] = [];
    expect(['maybe', 'tomorrow', '2', 2, '?'].map((v) => yesNo(v, 'Confirm', errors))).toEqual([null, null, null, null, null]);
    expect(errors[0]).toEqual({ column: 'Confirm', message: 'Confirm: choose Yes or leave blank ("maybe" is neither yes nor no)' });
    expect(errors).toHaveLength(5);
  });
});
