// A farm claim's rows as its claim sheet prints them: amounts to cents, totals exact, the date a day of the company's time zone.
import { fromScaled, toScaled } from '../common/decimal';
import type { ClaimSheetLineRow, ClaimSheetRow } from '../modules/vendor-credit/vendor-credit.repository';
import type { FarmClaimData } from './farm-claim.document';

const cents = (value: string) => fromScaled(toScaled(value), 2);

/** The company's calendar day of an instant (YYYY-MM-DD). */
function dayIn(at: Date, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  } catch {
    return at.toISOString().slice(0, 10);
  }
}

export function claimSheetData(sheet: { claim: ClaimSheetRow; lines: ClaimSheetLineRow[] }, timeZone: string): FarmClaimData {
  const sum = (key: 'product_amount' | 'freight_amount' | 'duty_amount' | 'handling_amount' | 'amount') =>
    fromScaled(
      sheet.lines.reduce((total, line) => total + toScaled(String(line[key])), 0n),
      2,
    );
  return {
    number: sheet.claim.number,
    status: sheet.claim.status,
    date: dayIn(new Date(sheet.claim.created_at), timeZone),
    vendorCode: sheet.claim.vendor_code,
    vendorName: sheet.claim.vendor_name,
    reason: sheet.claim.reason,
    notes: sheet.claim.notes,
    creditNumber: sheet.claim.credit_number,
    lines: sheet.lines.map((line) => ({
      lineNo: Number(line.line_no),
      label: line.label,
      purchaseOrder: line.po_number,
      awb: line.awb,
      product: line.product_name ? `${line.product_name} (${line.product_code})` : '',
      units: Number(line.units),
      productAmount: cents(String(line.product_amount)),
      freightAmount: cents(String(line.freight_amount)),
      dutyAmount: cents(String(line.duty_amount)),
      handlingAmount: cents(String(line.handling_amount)),
      amount: cents(String(line.amount)),
    })),
    totals: {
      units: sheet.lines.reduce((total, line) => total + Number(line.units), 0),
      productAmount: sum('product_amount'),
      freightAmount: sum('freight_amount'),
      dutyAmount: sum('duty_amount'),
      handlingAmount: sum('handling_amount'),
      amount: sum('amount'),
    },
  };
}
