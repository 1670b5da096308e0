// The price an availability list shows a customer (docs/sales-and-accounting.md#availability-lists): pure, no database.
import { suggestedPrice } from '../../common/decimal';

export type AvailabilityPriceSource = 'SUGGESTED';

/** What the price of a product and box type offered to a customer is made from. */
export interface AvailabilityPriceInput {
  customerId: number;
  productId: number;
  boxTypeCode: string;
  /** Average landed unit cost of the boxes offered. */
  averageUnitCost: string;
  /** The customer's target GPM, else the settings'. */
  targetGpm: string;
}

/**
 * THE place a list price plugs in: the unit price a customer is offered for a product and box type. Today the
 * suggested price (average landed cost at the customer's target GPM); once price lists exist, the customer's
 * list price for the product and box type comes first, with its own source.
 */
export function availabilityPrice(input: AvailabilityPriceInput): { price: string; source: AvailabilityPriceSource } | null {
  const price = suggestedPrice(input.averageUnitCost, input.targetGpm);
  return price === null ? null : { price, source: 'SUGGESTED' };
}
