// The SQL of the settings row read on hot paths (a scan, a confirmation): one prepared statement, no ORM.
import type { EntityManager } from '@mikro-orm/postgresql';
import { executePrepared } from '../../common/prepared-statement.repository';
import type { AgeBand, AutoBillingMode, DecimalSeparator, PortDuty, ReleaseFulfilledMode, Settings } from './settings.entity';

interface SettingsRow {
  id: number;
  auto_billing: AutoBillingMode;
  release_fulfilled: ReleaseFulfilledMode;
  separate_in_transit_and_on_hand: boolean;
  consolidate_open_market: boolean;
  separate_holiday: boolean;
  separate_by_port_of_origin: boolean;
  separate_by_pick_ticket: boolean;
  delay_days_allowed: number;
  allow_multiple_prebook_lines_per_po_line: boolean;
  freight_per_fbe: string;
  duty_percent_by_port: PortDuty[];
  standing_order_lead_days: number;
  target_gpm: string;
  time_zone: string;
  decimal_separator: DecimalSeparator;
  company_name: string;
  company_address: string;
  company_phone: string;
  company_tax_id: string;
  change_feed_retention_days: number;
  age_bands: AgeBand[];
  credit_reason_required: boolean;
  lock_confirmed_invoices: boolean;
  allow_same_day_manager_edits: boolean;
  finance_charge_percent_monthly: string;
  finance_charge_grace_days: number;
  version: number;
  updated_at: Date;
}

/** The settings row, as values (not a managed entity: changing them changes nothing; updateSettings does). */
export async function selectSettings(em: EntityManager, id: number): Promise<Settings | null> {
  const [row] = await executePrepared<SettingsRow>(
    em,
    `select id, auto_billing, release_fulfilled, separate_in_transit_and_on_hand, consolidate_open_market, separate_holiday, separate_by_port_of_origin, separate_by_pick_ticket, delay_days_allowed, allow_multiple_prebook_lines_per_po_line, freight_per_fbe::text as freight_per_fbe, duty_percent_by_port, standing_order_lead_days, target_gpm::text as target_gpm, time_zone, decimal_separator, company_name, company_address, company_phone, company_tax_id, change_feed_retention_days, age_bands, credit_reason_required, lock_confirmed_invoices, allow_same_day_manager_edits, finance_charge_percent_monthly::text as finance_charge_percent_monthly, finance_charge_grace_days, version, updated_at
       from settings where id = ?`,
    [id],
  );
  if (!row) return null;
  return {
    id: row.id,
    autoBilling: row.auto_billing,
    releaseFulfilled: row.release_fulfilled,
    separateInTransitAndOnHand: row.separate_in_transit_and_on_hand,
    consolidateOpenMarket: row.consolidate_open_market,
    separateHoliday: row.separate_holiday,
    separateByPortOfOrigin: row.separate_by_port_of_origin,
    separateByPickTicket: row.separate_by_pick_ticket,
    delayDaysAllowed: row.delay_days_allowed,
    allowMultiplePrebookLinesPerPoLine: row.allow_multiple_prebook_lines_per_po_line,
    freightPerFbe: row.freight_per_fbe,
    dutyPercentByPort: row.duty_percent_by_port,
    standingOrderLeadDays: row.standing_order_lead_days,
    targetGpm: row.target_gpm,
    timeZone: row.time_zone,
    decimalSeparator: row.decimal_separator,
    companyName: row.company_name,
    companyAddress: row.company_address,
    companyPhone: row.company_phone,
    companyTaxId: row.company_tax_id,
    changeFeedRetentionDays: row.change_feed_retention_days,
    ageBands: row.age_bands,
    creditReasonRequired: row.credit_reason_required,
    lockConfirmedInvoices: row.lock_confirmed_invoices,
    allowSameDayManagerEdits: row.allow_same_day_manager_edits,
    financeChargePercentMonthly: row.finance_charge_percent_monthly,
    financeChargeGraceDays: row.finance_charge_grace_days,
    version: row.version,
    updatedAt: row.updated_at,
  };
}
