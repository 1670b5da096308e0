import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { codedEntityProperties, money, percent, timestampProperties, trigramIndexes } from '../../common/entity-properties';

export const CUSTOMER_KINDS = ['REGULAR', 'FUTURE_SALES', 'PRODUCTION'] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];

export const CustomerSchema = defineEntity({
  name: 'Customer',
  indexes: trigramIndexes('customer'),
  properties: {
    ...codedEntityProperties(),
    kind: p.enum([...CUSTOMER_KINDS]).default('REGULAR'),
    creditHold: p.boolean().default(false),
    /** Null means no credit limit. */
    creditLimit: money().nullable(),
    /** Open balance from accounting. */
    openBalance: money().default('0'),
    /** Overrides Settings.targetGpm when set. */
    targetGpm: percent().nullable(),
    consolidateInvoicesOnAutoBilling: p.boolean().default(false),
    excludedFromAutoBilling: p.boolean().default(false),
    /** Bill-to address printed on the customer invoice (multi-line). */
    billingAddress: p.text().nullable(),
    /** Days from the invoice date to its due date. */
    paymentTermsDays: p.integer().default(30),
    /** Its invoices carry the fuel surcharge rules (ChargeRule FUEL_SURCHARGE). */
    fuelSurcharge: p.boolean().default(false),
    /** Its invoice document folds the fuel surcharge into the unit prices (FOB prices); internal views keep them apart. */
    showFobPrice: p.boolean().default(false),
    shipTos: () => p.oneToMany(ShipToSchema).mappedBy('customer').orderBy({ code: 'asc' }),
  },
});
export type Customer = InferEntity<typeof CustomerSchema>;

export const ShipToSchema = defineEntity({
  name: 'ShipTo',
  indexes: trigramIndexes('ship_to'),
  uniques: [{ properties: ['customer', 'code'] }],
  properties: {
    id: p.integer().primary(),
    customer: () => p.manyToOne(CustomerSchema),
    code: p.string().length(40),
    name: p.string().length(200),
    address: p.text().nullable(),
    ...timestampProperties(),
  },
});
export type ShipTo = InferEntity<typeof ShipToSchema>;
