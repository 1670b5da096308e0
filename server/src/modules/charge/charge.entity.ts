import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { codedEntityProperties } from '../../common/entity-properties';
import { BoxTypeSchema } from '../box-type/box-type.entity';
import { CarrierSchema } from '../carrier/carrier.entity';
import { CustomerSchema } from '../customer/customer.entity';
import { InvoiceSchema } from '../invoice/invoice.entity';

/** FUEL_SURCHARGE: an amount per box by port of origin and box type (customers with fuelSurcharge on); AUTOMATIC: by basis. */
export const CHARGE_RULE_KINDS = ['FUEL_SURCHARGE', 'AUTOMATIC'] as const;
export type ChargeRuleKind = (typeof CHARGE_RULE_KINDS)[number];

/** How an AUTOMATIC rule's amount applies: a percent of the lines' subtotal, once per invoice, or per box. */
export const CHARGE_BASES = ['PERCENT_OF_SUBTOTAL', 'PER_INVOICE', 'PER_BOX'] as const;
export type ChargeBasis = (typeof CHARGE_BASES)[number];

/** What an invoice charge was computed by: an AUTOMATIC rule's basis, or PORT_AND_BOX_TYPE (a fuel surcharge). */
export const INVOICE_CHARGE_BASES = [...CHARGE_BASES, 'PORT_AND_BOX_TYPE'] as const;
export type InvoiceChargeBasis = (typeof INVOICE_CHARGE_BASES)[number];

/** A rule that puts a charge on invoices; its name is the charge's description. Retired with active false, never deleted. */
export const ChargeRuleSchema = defineEntity({
  name: 'ChargeRule',
  properties: {
    ...codedEntityProperties(),
    kind: p.enum([...CHARGE_RULE_KINDS]),
    /** AUTOMATIC: null for every customer, else this customer's invoices only. */
    customer: () => p.manyToOne(CustomerSchema).nullable(),
    /** AUTOMATIC: null for every carrier, else invoices trucked by this carrier only. */
    carrier: () => p.manyToOne(CarrierSchema).nullable(),
    /** AUTOMATIC only. */
    basis: p.enum([...CHARGE_BASES]).nullable(),
    /** AUTOMATIC: the percent (3 = 3 %) or the amount per invoice or per box. */
    amount: p.decimal('string').precision(14).scale(4).nullable(),
    /** AUTOMATIC: at most this much a customer's invoices of one truck date carry, together; null: no cap. */
    maxPerDay: p.decimal('string').precision(14).scale(2).nullable(),
    active: p.boolean().default(true),
    rates: () => p.oneToMany(ChargeRateSchema).mappedBy('rule').orderBy({ portOfOrigin: 'asc', id: 'asc' }).orphanRemoval(),
  },
});
export type ChargeRule = InferEntity<typeof ChargeRuleSchema>;

/** A fuel surcharge's amount per box of one box type from one port of origin. */
export const ChargeRateSchema = defineEntity({
  name: 'ChargeRate',
  properties: {
    id: p.integer().primary(),
    rule: () => p.manyToOne(ChargeRuleSchema),
    portOfOrigin: p.string().length(40),
    boxType: () => p.manyToOne(BoxTypeSchema),
    amount: p.decimal('string').precision(14).scale(4),
  },
});
export type ChargeRate = InferEntity<typeof ChargeRateSchema>;

/**
 * A charge on an invoice, besides its lines: recomputed with the invoice's lines (charge.repository.ts)
 * unless overridden (set by hand with setInvoiceCharge: it stays as typed). One per rule and invoice.
 */
export const InvoiceChargeSchema = defineEntity({
  name: 'InvoiceCharge',
  uniques: [{ properties: ['invoice', 'rule'] }],
  properties: {
    id: p.integer().primary(),
    invoice: () => p.manyToOne(InvoiceSchema),
    rule: () => p.manyToOne(ChargeRuleSchema).nullable(),
    description: p.string().length(200),
    basis: p.enum([...INVOICE_CHARGE_BASES]),
    amount: p.decimal('string').precision(14).scale(2),
    overridden: p.boolean().default(false),
  },
});
export type InvoiceCharge = InferEntity<typeof InvoiceChargeSchema>;
