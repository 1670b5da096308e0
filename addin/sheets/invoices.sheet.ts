import type { CellValue } from './tables';

export interface InvoiceSummary {
  number: string;
  customer: { code: string };
  shipTo: { code: string } | null;
  carrier: { code: string } | null;
  truckDate: string;
  customerPo: string | null;
  status: string;
  pickTicketPrinted: boolean;
  total: string;
  cost: string;
  gpmPercent: string | null;
  lines: Array<{
    product: { code: string };
    boxes: number;
    units: number;
    unitPrice: string | null;
    priceSource?: string | null;
    amount: string | null;
    unitCost: string;
    gpmPercent: string | null;
  }>;
  /** Charges besides the lines (fuel surcharge, handling, ...): a row each, after the lines. */
  charges?: Array<{ description: string; amount: string }>;
}

const money = (value: string | null) => (value === null ? null : Number(value));

/**
 * One Invoices row per invoice line, the header repeated (standard column order of the Invoices sheet), then
 * one row per charge: its description under Charge and its amount under Amount, the line columns blank.
 */
export function invoiceRows(invoice: InvoiceSummary): CellValue[][] {
  const header = [
    invoice.number,
    invoice.customer.code,
    invoice.shipTo?.code ?? null,
    invoice.carrier?.code ?? null,
    invoice.truckDate,
    invoice.customerPo,
    invoice.status,
    invoice.pickTicketPrinted ? 'Printed' : null,
  ];
  return [
    ...invoice.lines.map((line) => [
      ...header,
      line.product.code,
      line.boxes,
      line.units,
      money(line.unitPrice),
      line.priceSource ?? null,
      money(line.amount),
      money(line.unitCost),
      money(line.gpmPercent),
      null,
    ]),
    ...(invoice.charges ?? []).map((charge) => [...header, null, null, null, null, null, money(charge.amount), null, null, charge.description]),
  ];
}
