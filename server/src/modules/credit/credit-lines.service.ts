import type { EntityManager } from '@mikro-orm/postgresql';
import { toScaled } from '../../common/decimal';
import { databaseId } from '../../common/list-filters';
import { MAX_LINE_UNITS, type RowValidator } from '../../common/row-validator';
import type { CreditLineInput } from '../../generated/graphql';
import { InvoiceLineSchema } from '../invoice/invoice.entity';
import type { Credit } from './credit.entity';
import { CreditLineSchema } from './credit.entity';
import { lockCreditableLines, type CreditableLineRow } from './credit.repository';
import { checkRestocks, type RestockRequest } from './credit-restock.service';
import { isRefusal, priceCreditLine, type CreditableLine, type PricedCreditLine } from './credit-rules';

/** At most this many lines on one credit. */
export const MAX_CREDIT_LINES = 1000;

export interface CheckedCreditLine extends PricedCreditLine {
  input: CreditLineInput;
  invoiceLineId: number | null;
}

export interface CheckedCreditLines {
  lines: CheckedCreditLine[];
  /** The invoice the lines' invoice lines are on (all on one), when any line names one. */
  invoice: { id: number; number: string; status: string; customerId: number } | null;
}

/**
 * Checks a credit's lines for form, locks the invoice lines they credit (in id order, `for update`) and
 * prices each against what its line has left, so two concurrent requests for the last units of a line
 * give one credit and one refusal. `expectedInvoiceId` (the credit's invoice) must hold every line;
 * `exceptCreditId` is the credit being updated, whose present lines no longer count; with `onlyCustomerId`
 * (a CUSTOMER token) the lines of other customers' invoices are not found.
 */
export async function checkCreditLines(
  em: EntityManager,
  v: RowValidator,
  inputs: readonly CreditLineInput[],
  options: { expectedInvoice: { id: number; number: string } | null; exceptCreditId: number | null; onlyCustomerId?: number | null },
): Promise<CheckedCreditLines> {
  if (inputs.length === 0) v.fail('REQUIRED', 'lines', 'a credit needs at least one line');
  if (inputs.length > MAX_CREDIT_LINES) {
    v.fail('TOO_MANY_ITEMS', 'lines', `a credit takes at most ${MAX_CREDIT_LINES} lines`);
    return { lines: [], invoice: null };
  }
  const ids = inputs.map((input, index) => {
    if (input.invoiceLine == null) return null;
    const id = databaseId(input.invoiceLine);
    if (id === null) v.fail('NOT_FOUND', `lines.${index + 1}.invoiceLine`, `line ${index + 1}: no invoice line ${input.invoiceLine}`);
    return id;
  });
  const lineIds = [...new Set(ids.filter((id): id is number => id !== null))];
  const rows = await lockCreditableLines(em, lineIds, options.exceptCreditId, options.expectedInvoice?.id ?? null);
  // A CUSTOMER token's claim: another customer's lines answer as missing ones.
  const visible = options.onlyCustomerId == null ? rows : rows.filter((row) => Number(row.customer_id) === options.onlyCustomerId);
  const byId = new Map<number, { row: CreditableLineRow; line: CreditableLine }>(
    visible.map((row) => [
      Number(row.id),
      {
        row,
        line: {
          id: Number(row.id),
          lineNo: row.line_no,
          invoiceNumber: row.invoice_number,
          productCode: row.product_code,
          units: row.units,
          unitPrice: row.unit_price,
          creditedUnits: Number(row.credited_units),
          creditedAmount: toScaled(String(row.credited_amount)),
        },
      },
    ]),
  );
  let invoice: CheckedCreditLines['invoice'] = null;
  const lines: CheckedCreditLine[] = [];
  const restocks: RestockRequest[] = [];
  inputs.forEach((input, index) => {
    const lv = v.nested(`lines.${index + 1}`, `line ${index + 1}`);
    const units = lv.integer('units', input.units, { required: false, nullable: true, min: 1, max: MAX_LINE_UNITS }) ?? null;
    const amountPerUnit =
      lv.decimal('amountPerUnit', input.amountPerUnit, { required: false, nullable: true, min: 0, exclusiveMin: true, max: 1e9, maxScale: 4 }) ?? null;
    const amount = lv.decimal('amount', input.amount, { required: false, nullable: true, min: 0, exclusiveMin: true, max: 1e9, maxScale: 4 }) ?? null;
    if (input.restock && input.kind !== 'QUANTITY') lv.fail('INVALID_VALUE', 'restock', 'only a QUANTITY line returns units to stock');
    if (input.kind === 'QUANTITY' && input.amount != null)
      lv.fail('INVALID_VALUE', 'amount', "a QUANTITY line's amount is its units at the line's price: leave amount out");
    if (input.kind === 'PRICE' && input.amount != null)
      lv.fail('INVALID_VALUE', 'amount', "a PRICE line's amount is its amount per unit × units: leave amount out");
    if (input.kind === 'AMOUNT' && (input.units != null || input.amountPerUnit != null))
      lv.fail('INVALID_VALUE', input.units != null ? 'units' : 'amountPerUnit', 'an AMOUNT line takes an amount only');
    const id = ids[index];
    const found = id === null ? undefined : byId.get(id);
    if (id !== null && !found) {
      lv.fail('NOT_FOUND', 'invoiceLine', `no invoice line ${input.invoiceLine}`);
      return;
    }
    if (found) {
      const { row } = found;
      const expected = options.expectedInvoice ?? invoice;
      if (expected && expected.id !== Number(row.invoice_id)) {
        lv.fail('INVALID_VALUE', 'invoiceLine', `invoice line ${row.id} is on ${row.invoice_number}, not ${expected.number}: one credit credits one invoice`);
        return;
      }
      if (!invoice) invoice = { id: Number(row.invoice_id), number: row.invoice_number, status: row.invoice_status, customerId: Number(row.customer_id) };
      if (row.invoice_status === 'VOID') {
        lv.fail('INVALID_STATUS', 'invoiceLine', `${row.invoice_number} is VOID: there is nothing to credit`);
        return;
      }
    }
    if (!lv.ok) return;
    const priced = priceCreditLine({ kind: input.kind, units, amountPerUnit, amount }, found?.line ?? null);
    if (isRefusal(priced)) {
      lv.fail(priced.code, priced.field, priced.message);
      return;
    }
    lines.push({ ...priced, input, invoiceLineId: found ? found.line.id : null });
    if (input.restock && found && priced.units) {
      const { line } = found;
      restocks.push({
        index: index + 1,
        invoiceLineId: line.id,
        units: priced.units,
        describe: `${line.invoiceNumber} line ${line.lineNo} (${line.productCode})`,
      });
    }
  });
  await checkRestocks(em, v, restocks);
  return { lines, invoice };
}

/** Puts the checked lines on the credit (numbered 1, 2, ...), in place of any it had. */
export function setCreditLines(em: EntityManager, credit: Credit, lines: readonly CheckedCreditLine[]): void {
  credit.lines.removeAll();
  lines.forEach((line, index) => {
    credit.lines.add(
      em.create(CreditLineSchema, {
        credit,
        lineNo: index + 1,
        kind: line.input.kind,
        invoiceLine: line.invoiceLineId === null ? null : em.getReference(InvoiceLineSchema, line.invoiceLineId),
        units: line.units,
        amountPerUnit: line.amountPerUnit,
        amount: line.amount,
        restock: line.input.restock ?? false,
      }),
    );
  });
}
