// unallocate: an invoice line taken back off a pending invoice, its boxes (or units) back in inventory as they were.
import type { RequestContext } from '../../common/request-context';
import { inTransaction, TransactionConflict } from '../../common/transaction';
import { userError, type UserError } from '../../common/user-error';
import { recordAudit } from '../audit/audit.service';
import { lockBillableBoxes, saveBillableBoxes } from '../box/billable-box';
import { InvoiceLineSchema, type Invoice } from '../invoice/invoice.entity';
import { lockLinesWithCredits } from '../invoice/invoice.repository';
import { flushLinesChanged } from '../invoice/invoice-change';
import { POPULATE_INVOICE, returnTakes } from '../invoice/invoice.service';
import { getSettings } from '../settings/settings.service';
import { demandNeeds, releaseLeftovers } from './allocation.service';
import { lockBoxesOfInvoiceLine, lockInvoiceOfLine, selectBoxIdsOfInvoiceLine } from './billing.repository';

/** unallocate(invoiceLine): the boxes or units go back to inventory as they were; the prebook line needs them again. */
export async function unallocate(ctx: RequestContext, invoiceLineId: string): Promise<{ invoice: Invoice | null; errors: UserError[] }> {
  return inTransaction(ctx, async (em) => {
    // The line's boxes, then its invoice (the lock order, billing.repository.ts): an unallocation that locked the
    // invoice first deadlocked with a scan or a void holding one of its boxes and waiting on the invoice. Boxes a
    // billing added to the line while the invoice's lock was awaited would be locked after it: run again instead.
    const id = /^\d{1,9}$/.test(invoiceLineId.trim()) ? Number(invoiceLineId) : -1;
    const boxesLocked = new Set(await lockBoxesOfInvoiceLine(em, id));
    const [owner] = await lockInvoiceOfLine(em, id);
    if (owner && (await selectBoxIdsOfInvoiceLine(em, id)).some((boxId) => !boxesLocked.has(boxId)))
      throw new TransactionConflict(`invoice line ${id} took more boxes while its invoice's lock was awaited`);
    const line = owner ? await em.findOne(InvoiceLineSchema, id, { populate: ['invoice', 'takes', 'takes.box'], refresh: true }) : null;
    if (!line) return { invoice: null, errors: [userError('NOT_FOUND', `no invoice line ${invoiceLineId}`, undefined, 'invoiceLine')] };
    const invoice = line.invoice;
    if (invoice.status !== 'PENDING') {
      await em.populate(invoice, POPULATE_INVOICE);
      return {
        invoice,
        errors: [userError('INVALID_STATUS', `${invoice.number} is ${invoice.status}: only pending invoices can be unallocated`, undefined, 'invoiceLine')],
      };
    }
    // Credits stay with the line they credit (the line is locked, then its credits read).
    if ((await lockLinesWithCredits(em, { lineIds: [line.id] })).length) {
      await em.populate(invoice, POPULATE_INVOICE);
      const message = `${invoice.number} line ${line.lineNo} has pending or approved credits: void them (voidCredit) before unallocating it`;
      return { invoice, errors: [userError('INVALID_STATUS', message, undefined, 'invoiceLine')] };
    }
    const labels = line.takes.getItems().map((take) => take.box.label);
    await returnTakes(em, line.takes.getItems());
    await em.populate(invoice, ['lines']);
    line.takes.removeAll();
    invoice.lines.remove(line);
    if (invoice.lines.length === 0) invoice.status = 'VOID';
    invoice.updatedAt = new Date();
    recordAudit(em, ctx.actor, 'unallocate', 'Invoice', invoice.id, { line: line.id, boxes: labels });
    await flushLinesChanged(em, [invoice.id]);
    // Units given back that no line the box was bought for needs (another line had taken them) follow
    // releaseFulfilled. The boxes are locked already (returnTakes); their lines are read, not locked, as allocation reads them.
    const returned = [...(await lockBillableBoxes(em, [...new Set(labels)])).values()];
    const released = releaseLeftovers((await getSettings(em)).releaseFulfilled, returned, await demandNeeds(em, null, returned, new Set()));
    await saveBillableBoxes(em, released);
    await em.populate(invoice, POPULATE_INVOICE);
    return { invoice, errors: [] };
  });
}
