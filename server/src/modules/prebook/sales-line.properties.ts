import { p } from '@mikro-orm/core';
import { money } from '../../common/entity-properties';
import { BoxTypeSchema } from '../box-type/box-type.entity';
import { ProductSchema } from '../product/product.entity';
import { VendorSchema } from '../vendor/vendor.entity';

export const SELL_BY = ['BOX', 'UNIT'] as const;
export type SellBy = (typeof SELL_BY)[number];

/** The columns of a sales line, shared by prebook lines and the standing-order lines they are generated from. */
export function salesLineProperties() {
  return {
    lineNo: p.integer(),
    product: () => p.manyToOne(ProductSchema),
    sellBy: p.enum([...SELL_BY]),
    boxType: () => p.manyToOne(BoxTypeSchema),
    /** Boxes ordered (sellBy BOX); null for lines sold in units. */
    boxes: p.integer().nullable(),
    unitsPerBox: p.integer(),
    /** Units ordered: boxes x unitsPerBox for BOX lines. */
    units: p.integer(),
    /** Sales price per unit; null = not priced yet (bills as price pending). */
    price: money().nullable(),
    /** Full expected unit cost (for a finished good: flowers + hard goods + labour); drives GPM. */
    cost: money().nullable(),
    vendor: () => p.manyToOne(VendorSchema).nullable(),
    /** The vendor's price per unit, when known in advance; it becomes the PO line's unit cost. */
    vendorCost: money().nullable(),
  };
}
