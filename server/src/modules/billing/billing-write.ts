// What a billing run writes at its end (finish()): the invoices it made, then, in one statement, the lines,
// the changed invoices, the takes and the boxes taken from.
import type { EntityManager } from '@mikro-orm/postgresql';
import { divRound, fromScaled } from '../../common/decimal';
import { changedBillableBoxes, markBillableBoxesWritten } from '../box/billable-box';
import { boxesOnLine } from '../invoice/invoice-totals';
import { insertInvoiceRows, resolveOpenIssues, writeBilling } from './billing.repository';
import type { RunInvoice, RunLine, RunTake } from './run-invoices';

/** Up to this many takes, writeRun() writes the boxes taken from in its one statement. */
const WRITE_BOXES_WITH_BILLING_UP_TO = 1000;

/**
 * Writes what a run placed: the invoices it made (one statement), then, in one more, the lines' units,
 * boxes and cost (the prebook line's cost when it has one, the real GPM of a finished good, else the average
 * landed cost of everything the line took), the lines it added, the changed invoices and the takes, and (up
 * to WRITE_BOXES_WITH_BILLING_UP_TO takes) the boxes taken from as they now are; the caller's
 * saveBillableBoxes writes any other box, or one changed later. The boxes of `resolve` have their open
 * billing issues marked resolved in the same statement. The invoices made and the lines added get their ids;
 * they come back so the run knows them as stored.
 */
export async function writeRun(
  em: EntityManager,
  takes: readonly RunTake[],
  resolve: number[],
): Promise<{ madeInvoices: RunInvoice[]; addedLines: RunLine[] }> {
  if (takes.length === 0) {
    if (resolve.length) await resolveOpenIssues(em, resolve);
    return { madeInvoices: [], addedLines: [] };
  }
  const lines = [...new Set(takes.map((take) => take.line))];
  const invoices = [...new Set(lines.map((line) => line.invoice))];
  const at = new Date();
  const unwrittenInvoices = invoices.filter((invoice) => invoice.id == null);
  if (unwrittenInvoices.length) {
    const rows = await insertInvoiceRows(
      em,
      unwrittenInvoices.map((invoice) => ({ ...invoice, ...invoice.made! })),
      at,
    );
    const idOf = new Map(rows.map((row) => [row.number, Number(row.id)]));
    for (const invoice of unwrittenInvoices) invoice.id = idOf.get(invoice.number)!;
  }
  const inserted = new Set(unwrittenInvoices);
  const unitCostOf = (line: RunLine) => line.prebookCost ?? fromScaled(line.units ? divRound(line.cost, BigInt(line.units)) : 0n, 2);
  const unwritten = lines.filter((line) => line.id == null);
  // The boxes go with the rest while a key's lock is held for a few (a scan); a large confirmation writes
  // them in a statement of their own (the caller's saveBillableBoxes), not holding all of the parameters at once.
  const boxes = takes.length <= WRITE_BOXES_WITH_BILLING_UP_TO ? changedBillableBoxes(new Set(takes.map((take) => take.box))) : [];
  const rows = await writeBilling(
    em,
    {
      boxes,
      resolveIssuesOfBoxIds: resolve,
      lineTotals: lines
        .filter((line) => line.id != null)
        .map((line) => ({ id: line.id!, boxes: boxesOnLine(line.boxIds), units: line.units, unitCost: unitCostOf(line) })),
      newLines: unwritten.map((line) => ({
        invoiceId: line.invoice.id!,
        lineNo: line.lineNo,
        productId: line.productId,
        boxes: boxesOnLine(line.boxIds),
        units: line.units,
        unitPrice: line.unitPrice,
        priceSource: line.priceSource ?? null,
        unitCost: unitCostOf(line),
        prebookLineId: line.prebookLineId,
        inventoryType: line.inventoryType,
      })),
      invoices: invoices
        .filter((invoice) => !inserted.has(invoice))
        .map((invoice) => ({
          id: invoice.id!,
          hasOpenMarket: invoice.hasOpenMarket,
          holiday: invoice.holiday,
          inTransit: invoice.inTransit,
          portOfOrigin: invoice.portOfOrigin,
          newVersion: invoice.made == null,
        })),
      takes: takes.map((take) => ({
        lineId: take.line.id,
        invoiceId: take.line.invoice.id!,
        lineNo: take.line.lineNo,
        boxId: take.box.id,
        units: take.units,
        previous: take.previous,
      })),
    },
    at,
  );
  markBillableBoxesWritten(boxes);
  const idOf = new Map(rows.map((row) => [`${row.invoice_id}:${row.line_no}`, Number(row.id)]));
  for (const line of unwritten) line.id = idOf.get(`${line.invoice.id}:${line.lineNo}`)!;
  return { madeInvoices: unwrittenInvoices, addedLines: unwritten };
}
