import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { money, percent } from '../../common/entity-properties';

export const AUTO_BILLING_MODES = ['OFF', 'ON_OUTBOUND_SCAN', 'ON_MANUAL_CONFIRMATION', 'ON_INCOMING_SCAN_OR_CONFIRMATION'] as const;
export type AutoBillingMode = (typeof AUTO_BILLING_MODES)[number];
export const RELEASE_FULFILLED_MODES = ['OPEN_MARKET', 'KEEP_CUSTOMER'] as const;
export type ReleaseFulfilledMode = (typeof RELEASE_FULFILLED_MODES)[number];
/** How numbers typed as text in the buyer's sheets are read: the decimal mark, `.` (1,250.50) or `,` (1.250,50). */
export const DECIMAL_SEPARATORS = ['.', ','] as const;
export type DecimalSeparator = (typeof DECIMAL_SEPARATORS)[number];

/** An age band of inventory: boxes aged up to maxDays (null: any age) that no earlier band holds. */
export interface AgeBand {
  name: string;
  maxDays: number | null;
}

/** Komet's colours: 1–4 days, 5–9, 10 and more. */
export const DEFAULT_AGE_BANDS: AgeBand[] = [
  { name: '1-4', maxDays: 4 },
  { name: '5-9', maxDays: 9 },
  { name: '10+', maxDays: null },
];

export interface PortDuty {
  port: string;
  percent: string;
}

/** The single row (id 1) of billing and allocation settings, docs/maintainers.md#billing-settings. */
export const SettingsSchema = defineEntity({
  name: 'Settings',
  properties: {
    id: p.integer().primary().autoincrement(false),
    autoBilling: p.enum([...AUTO_BILLING_MODES]).default('ON_MANUAL_CONFIRMATION'),
    releaseFulfilled: p.enum([...RELEASE_FULFILLED_MODES]).default('OPEN_MARKET'),
    separateInTransitAndOnHand: p.boolean().default(false),
    consolidateOpenMarket: p.boolean().default(true),
    separateHoliday: p.boolean().default(true),
    separateByPortOfOrigin: p.boolean().default(false),
    separateByPickTicket: p.boolean().default(true),
    delayDaysAllowed: p.integer().default(0),
    allowMultiplePrebookLinesPerPoLine: p.boolean().default(false),
    freightPerFbe: money().default('0'),
    dutyPercentByPort: p.json<PortDuty[]>().default('[]'),
    standingOrderLeadDays: p.integer().default(14),
    targetGpm: percent().default('30'),
    /** IANA time zone of the company: decides "today" (delay days, overdue, standing orders, invoice dates). */
    timeZone: p.string().length(64).default('UTC'),
    /** The decimal mark of numbers typed as text in the sheets (docs/maintainers.md#the-sheets). */
    decimalSeparator: p.enum([...DECIMAL_SEPARATORS]).default('.'),
    companyName: p.string().length(200).default(''),
    companyAddress: p.string().length(500).default(''),
    companyPhone: p.string().length(60).default(''),
    companyTaxId: p.string().length(60).default(''),
    /** Days the change feed keeps its events; older ones are pruned and a cursor before them is CURSOR_EXPIRED. */
    changeFeedRetentionDays: p.integer().default(90),
    /** The inventory's age bands, youngest first (docs/maintainers.md#age-and-rotation). */
    ageBands: p.json<AgeBand[]>().default(JSON.stringify(DEFAULT_AGE_BANDS)),
    /** A credit needs a reason (CreditReason). */
    creditReasonRequired: p.boolean().default(true),
    /** A CONFIRMED invoice's lines and prices are not changed: credits correct it. */
    lockConfirmedInvoices: p.boolean().default(true),
    /** With lockConfirmedInvoices: a SALES_MANAGER or ADMIN may still change an invoice on the day it was confirmed. */
    allowSameDayManagerEdits: p.boolean().default(false),
    /** applyFinanceCharges: percent a month on balances overdue past the grace days; 0 charges nothing. */
    financeChargePercentMonthly: percent().default('0'),
    financeChargeGraceDays: p.integer().default(0),
    version: p.integer().version(),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type Settings = InferEntity<typeof SettingsSchema>;
