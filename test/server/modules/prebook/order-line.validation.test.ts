import { describe, expect, it } from 'vitest';
import { withStoredValues, type StoredOrderLine } from '../../../../server/src/modules/prebook/order-line.validation';

const byBox: StoredOrderLine = {
  sellBy: 'BOX',
  boxType: { code: 'QB' },
  boxes: 4,
  unitsPerBox: 100,
  units: 400,
  price: '0.85',
  cost: '0.52',
  vendor: { code: 'ROSAS' },
  vendorCost: '0.38',
};
const byUnit: StoredOrderLine = { ...byBox, sellBy: 'UNIT', boxes: null, units: 750, vendor: null };

describe('withStoredValues', () => {
  it('fills omitted fields from the stored line and leaves units of a box line to follow its boxes', () => {
    expect(withStoredValues({ product: 'ROSE', price: '0.95' }, byBox)).toEqual({
      product: 'ROSE',
      sellBy: 'BOX',
      boxType: 'QB',
      boxes: 4,
      unitsPerBox: 100,
      units: undefined,
      price: '0.95',
      cost: '0.52',
      vendor: 'ROSAS',
      vendorCost: '0.38',
    });
  });

  it('keeps an explicit null: it clears the field or takes its default', () => {
    const merged = withStoredValues({ product: 'ROSE', cost: null, vendor: null, unitsPerBox: null, boxType: null }, byBox);
    expect(merged).toMatchObject({ cost: null, vendor: null, unitsPerBox: null, boxType: null, boxes: 4, vendorCost: '0.38' });
  });

  it('keeps the units of a unit line, and switches sell-by when only the other quantity is sent', () => {
    expect(withStoredValues({ product: 'CARN' }, byUnit)).toMatchObject({ sellBy: 'UNIT', units: 750, boxes: undefined });
    expect(withStoredValues({ product: 'CARN', boxes: 2 }, byUnit)).toMatchObject({ sellBy: 'BOX', boxes: 2, units: undefined });
    expect(withStoredValues({ product: 'ROSE', units: 300 }, byBox)).toMatchObject({ sellBy: 'UNIT', units: 300, boxes: undefined });
  });
});
