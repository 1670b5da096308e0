import { describe, expect, it } from 'vitest';
import { centsText, invoiceLineAmount, priceCreditLine, roundToCents, type CreditableLine } from '../../../../server/src/modules/credit/credit-rules';
import { toScaled } from '../../../../server/src/common/decimal';

function line(overrides: Partial<CreditableLine> = {}): CreditableLine {
  return {
    id: 7,
    lineNo: 1,
    invoiceNumber: 'INV-000001',
    productCode: 'ROSE',
    units: 400,
    unitPrice: '0.80',
    creditedUnits: 0,
    creditedAmount: 0n,
    ...overrides,
  };
}

describe('credit rules', () => {
  it('rounds money to cents half away from zero', () => {
    expect(centsText('12.345')).toBe('12.35');
    expect(centsText('12.344')).toBe('12.34');
    expect(centsText('0.005')).toBe('0.01');
    expect(roundToCents(toScaled('-1.005'))).toBe(toScaled('-1.01'));
    expect(invoiceLineAmount({ units: 3, unitPrice: '0.8125' })).toBe(toScaled('2.44'));
  });

  it('prices a QUANTITY line at the line price: 100 of 400 stems at 0.80 is 80.00, and counts what it takes', () => {
    const target = line();
    expect(priceCreditLine({ kind: 'QUANTITY', units: 100, amountPerUnit: null, amount: null }, target)).toEqual({
      units: 100,
      amountPerUnit: '0.80',
      amount: '80.00',
    });
    expect(target).toMatchObject({ creditedUnits: 100, creditedAmount: toScaled('80') });
    expect(priceCreditLine({ kind: 'QUANTITY', units: 301, amountPerUnit: null, amount: null }, target)).toEqual({
      code: 'CREDIT_UNITS_EXCEEDED',
      field: 'units',
      message: 'INV-000001 line 1 (ROSE) has 300 of its 400 units left to credit; 301 asked',
    });
  });

  it('refuses 5 boxes (500 stems) of a 400-stem line', () => {
    expect(priceCreditLine({ kind: 'QUANTITY', units: 500, amountPerUnit: null, amount: null }, line())).toMatchObject({ code: 'CREDIT_UNITS_EXCEEDED' });
  });

  it('caps PRICE at the unit price and every credit of the line at its amount', () => {
    expect(priceCreditLine({ kind: 'PRICE', units: null, amountPerUnit: '0.81', amount: null }, line())).toMatchObject({
      code: 'CREDIT_PRICE_EXCEEDED',
      field: 'amountPerUnit',
    });
    expect(priceCreditLine({ kind: 'PRICE', units: null, amountPerUnit: '0.10', amount: null }, line())).toEqual({
      units: 400,
      amountPerUnit: '0.10',
      amount: '40.00',
    });
    expect(priceCreditLine({ kind: 'PRICE', units: 3, amountPerUnit: '0.0333', amount: null }, line())).toEqual({
      units: 3,
      amountPerUnit: '0.0333',
      amount: '0.10',
    });
    const credited = line({ creditedAmount: toScaled('300') });
    expect(priceCreditLine({ kind: 'AMOUNT', units: null, amountPerUnit: null, amount: '20.01' }, credited)).toEqual({
      code: 'CREDIT_AMOUNT_EXCEEDED',
      field: 'amount',
      message: 'INV-000001 line 1 (ROSE) has 20.00 of its 320.00 left to credit; 20.01 asked',
    });
    expect(priceCreditLine({ kind: 'AMOUNT', units: null, amountPerUnit: null, amount: '20' }, credited)).toEqual({
      units: null,
      amountPerUnit: null,
      amount: '20.00',
    });
  });

  it('refuses a line whose price is pending, and needs an invoice line for QUANTITY and PRICE', () => {
    expect(priceCreditLine({ kind: 'AMOUNT', units: null, amountPerUnit: null, amount: '1' }, line({ unitPrice: null }))).toMatchObject({
      code: 'PRICE_PENDING',
    });
    expect(priceCreditLine({ kind: 'QUANTITY', units: 1, amountPerUnit: null, amount: null }, null)).toMatchObject({ code: 'REQUIRED', field: 'invoiceLine' });
    expect(priceCreditLine({ kind: 'AMOUNT', units: null, amountPerUnit: null, amount: '7.005' }, null)).toEqual({
      units: null,
      amountPerUnit: null,
      amount: '7.01',
    });
  });
});
