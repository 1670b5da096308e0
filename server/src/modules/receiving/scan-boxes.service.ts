import { badRequest } from '../../common/graphql-errors';
import type { RequestContext } from '../../common/request-context';
import { inTransaction } from '../../common/transaction';
import { MAX_UPSERT_ITEMS } from '../../common/upsert-by-code';
import type { ScanKind } from '../../generated/graphql';
import { recordAudits } from '../audit/audit.service';
import { ShippingLabelSchema } from '../billing/billing-issue.entity';
import { autoBill, type BoxBilling } from '../billing/billing.service';
import { rememberAutoBillingMode } from '../billing/box-billing.view';
import { lockBillableBoxes, saveBillableBoxes, type BillableBox } from '../box/billable-box';
import { BoxSchema } from '../box/box.entity';
import { InvoiceSchema, type Invoice } from '../invoice/invoice.entity';
import { refreshPurchaseOrderStatusesAfterConfirmation, settlePurchaseOrderStatuses } from '../purchase-order/purchase-order-status.service';
import { getSettings } from '../settings/settings.service';
import { billsOn, confirmBox } from './box-confirmation';
import { selectLiveInvoiceNumbersOfBoxes } from './receiving.repository';
import { returnBoxes } from './return-scan.service';

export type ScanOutcome = 'SCANNED' | 'ALREADY_SCANNED' | 'UNKNOWN_LABEL' | 'NOT_SHIPPED' | 'VOID_BOX' | 'NEVER_LEFT' | 'NOT_INVOICED' | 'STILL_STAGED';

export interface ScanResult {
  label: string;
  outcome: ScanOutcome;
  message: string;
  /** Read by id once the scan has committed. */
  boxId: number | null;
  billing: BoxBilling | null;
  shippingLabel: string | null;
}

function shippingLabelText(invoice: Invoice, label: string): string {
  return [invoice.carrier?.name ?? 'no carrier', invoice.customer.name, invoice.shipTo?.name, invoice.number, label].filter(Boolean).join(' / ');
}

/**
 * Warehouse scans. An inbound scan marks a box on hand (and, with automatic
 * billing ON_INCOMING_SCAN_OR_CONFIRMATION, confirms a staged box and bills
 * it); an outbound scan records that the box left (and, ON_OUTBOUND_SCAN,
 * confirms it if it was still staged, bills it and produces its shipping label).
 * A box the outbound scan cannot bill does not leave: it stays in inventory,
 * not shipped, with its billing issue, and a later scan bills it. A box already
 * invoiced (by allocation or by hand) leaves with its invoice's shipping label. A RETURN scan brings back a
 * box that left (return-scan.service.ts); only it takes a reason.
 */
export async function scanBoxes(ctx: RequestContext, labels: string[], kind: ScanKind, reason?: string | null): Promise<{ results: ScanResult[] }> {
  if (kind === 'RETURN') return returnBoxes(ctx, labels, reason ?? null);
  if (reason != null) throw badRequest(`scanBoxes.reason is for RETURN scans only: leave it out of an ${kind} scan`);
  // Orders this scan left SHIPPED that concurrent scans may have finished: settled after the commit.
  let unsettled: number[] = [];
  const answer = await inTransaction(ctx, async (em) => {
    unsettled = [];
    const trimmed = labels.slice(0, MAX_UPSERT_ITEMS).map((l) => l.trim());
    const settings = await getSettings(em);
    rememberAutoBillingMode(ctx, settings.autoBilling);
    // When the scan may bill, the prebook lines its boxes serve are locked as they are read, as billing locks them.
    const boxes = await lockBillableBoxes(em, trimmed, { lockPrebookLines: billsOn(settings, kind === 'INBOUND' ? 'inbound-scan' : 'outbound-scan') });
    const now = new Date();
    const toBill: BillableBox[] = [];
    const confirmed: BillableBox[] = [];
    const invoiced: BillableBox[] = [];
    const results: ScanResult[] = trimmed.map((label) => {
      const box = boxes.get(label) ?? null;
      const result = (outcome: ScanOutcome, message: string): ScanResult => ({
        label,
        outcome,
        message,
        boxId: box?.id ?? null,
        billing: null,
        shippingLabel: null,
      });
      if (!box) return result('UNKNOWN_LABEL', `no box ${label}`);
      if (box.status === 'VOID') return result('VOID_BOX', `${label} is void (written off): it cannot be received or shipped`);
      if (kind === 'INBOUND') {
        if (box.received) return result('ALREADY_SCANNED', `${label} was already received`);
        Object.assign(box, { received: true, receivedAt: now });
        if (box.status === 'STAGED' && billsOn(settings, 'inbound-scan')) {
          confirmBox(box, now);
          confirmed.push(box);
          toBill.push(box);
          return result('SCANNED', `${label} received and confirmed into inventory`);
        }
        return result('SCANNED', `${label} received: on hand`);
      }
      if (box.shippedOutAt) return result('ALREADY_SCANNED', `${label} already left the warehouse`);
      if (box.status === 'INVOICED') {
        box.shippedOutAt = now;
        invoiced.push(box);
        return result('SCANNED', `${label} left the warehouse`);
      }
      if (!billsOn(settings, 'outbound-scan')) {
        box.shippedOutAt = now;
        return result('SCANNED', `${label} left the warehouse`);
      }
      toBill.push(box);
      if (box.status === 'STAGED') {
        // It is leaving, so it arrived: confirmed here, or it could never be billed by its scan.
        Object.assign(box, { received: true, receivedAt: box.receivedAt ?? now });
        confirmBox(box, now);
        confirmed.push(box);
        return result('SCANNED', `${label} confirmed from staging and left the warehouse`);
      }
      return result('SCANNED', `${label} left the warehouse`);
    });
    // Every box scanned so far is in the audit whatever billing makes of it (a box that does not leave stays
    // NOT_SHIPPED but was scanned): written before billing, so not while its consolidation keys are locked.
    const scanned = results.filter((r) => r.outcome === 'SCANNED').map((r) => r.label);
    if (scanned.length)
      await recordAudits(em, ctx.actor, [
        {
          action: `scan-${kind.toLowerCase()}`,
          entity: 'Box',
          entityId: scanned.length === 1 ? boxes.get(scanned[0])!.id : 'many',
          payload: { labels: scanned },
        },
      ]);
    // The boxes it confirms leave staging whatever billing makes of them: their orders' statuses are
    // refreshed now, not while billing holds its consolidation keys' locks.
    unsettled = (
      await refreshPurchaseOrderStatusesAfterConfirmation(
        em,
        [...new Set(confirmed.map((box) => box.purchaseOrderId))],
        confirmed.map((box) => box.id),
      )
    ).unsettled;
    const billing = toBill.length ? await autoBill(em, ctx, settings, toBill, { dryRun: false }) : new Map<string, BoxBilling>();
    if (kind === 'INBOUND') {
      for (const result of results) result.billing = result.outcome === 'SCANNED' ? (billing.get(result.label) ?? null) : null;
    } else {
      // The invoice each leaving box is on: the one billing just put it on, or the live invoice that took it before.
      const invoiceNumberOf = new Map<string, string>();
      for (const box of toBill) {
        const billed = billing.get(box.label)?.invoiceNumbers[0];
        if (billed) invoiceNumberOf.set(box.label, billed);
      }
      if (invoiced.length) {
        const rows = await selectLiveInvoiceNumbersOfBoxes(
          em,
          invoiced.map((box) => box.id),
        );
        for (const row of rows) invoiceNumberOf.set(row.label, row.number);
      }
      const numbers = [...new Set(invoiceNumberOf.values())];
      const invoices = numbers.length ? await em.find(InvoiceSchema, { number: { $in: numbers } }, { populate: ['customer', 'carrier', 'shipTo'] }) : [];
      const invoiceByNumber = new Map(invoices.map((invoice) => [invoice.number, invoice]));
      for (const result of results) {
        if (result.outcome !== 'SCANNED' || !result.boxId) continue;
        const box = boxes.get(result.label)!;
        const outcome = billing.get(result.label) ?? null;
        if (toBill.includes(box)) {
          result.billing = outcome;
          if (!outcome?.invoiceNumbers.length) {
            // Not billed: the box does not leave; its issue (if any) is recorded, and a later scan bills it.
            const why = outcome?.issue
              ? outcome.issue.message
              : `${result.label} has nothing to bill automatically (${box.inventoryType === 'M' ? 'open market' : 'its prebook lines are fully billed'}); invoice it by hand`;
            Object.assign(result, { outcome: 'NOT_SHIPPED', message: `${why}: it stays in inventory, not shipped` });
            continue;
          }
          box.shippedOutAt = now;
        }
        const invoice = invoiceByNumber.get(invoiceNumberOf.get(result.label) ?? '');
        if (invoice) {
          const text = shippingLabelText(invoice, result.label);
          em.create(ShippingLabelSchema, { box: em.getReference(BoxSchema, result.boxId), invoice, text });
          result.shippingLabel = text;
        }
      }
    }
    await saveBillableBoxes(em, boxes.values());
    await em.flush();
    return { results };
  });
  await settlePurchaseOrderStatuses(ctx, unsettled);
  return answer;
}
