// The two guards that replaced casts on required data: requiredRelation (a non-null many-to-one answered
// through the request's reference loader) and requiredValue (what validate() requires of a new master record).
import { describe, expect, it } from 'vitest';
import { requiredRelation } from '../../../server/src/common/required-relation';
import { requiredValue } from '../../../server/src/common/upsert-by-code';

describe('requiredRelation', () => {
  it('answers a loaded reference as it is, without a promise', () => {
    const customer = { id: 1, code: 'FRESHMART' };
    expect(requiredRelation('Prebook.customer', customer)).toBe(customer);
  });

  it('answers a reference still loading once it is loaded', async () => {
    const product = { id: 2, code: 'ROSE-FREEDOM-50' };
    await expect(requiredRelation('PrebookLine.product', Promise.resolve(product))).resolves.toBe(product);
  });

  it('names the relation when the row it refers to is gone, loaded or not', async () => {
    expect(() => requiredRelation('Prebook.carrier', null)).toThrow('Prebook.carrier refers to a row that does not exist');
    await expect(requiredRelation('InvoiceLine.product', Promise.resolve(null))).rejects.toThrow('InvoiceLine.product refers to a row that does not exist');
  });
});

describe('requiredValue', () => {
  it('passes a value through, falsy ones included', () => {
    expect(requiredValue('Roses', 'name')).toBe('Roses');
    expect(requiredValue(0, 'defaultUnitsPerBox')).toBe(0);
    expect(requiredValue('', 'name')).toBe('');
    expect(requiredValue(false, 'billUnitsAsBoxes')).toBe(false);
  });

  it('names the field validation let through empty', () => {
    expect(() => requiredValue(undefined, 'name')).toThrow('name is required to create a record and validation let it through empty');
    expect(() => requiredValue(null, 'kind')).toThrow(/^kind is required/);
  });
});
