import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../common/request-context';
import { inTransaction } from '../../common/transaction';
import { userError, type UserError } from '../../common/user-error';
import { recordAudit } from '../audit/audit.service';
import type { PurchaseOrder } from './purchase-order.entity';
import { markPurchaseOrdersReceived, updatePurchaseOrderStatusesFromBoxes } from './purchase-order.repository';
import { lockPurchaseOrders } from './purchase-order.service';

// A purchase order's status: confirmed or cancelled by hand, and SHIPPED or RECEIVED as its boxes ship and leave staging.

const TRANSITIONS = {
  confirm: { from: ['OPEN'], to: 'CONFIRMED', done: 'confirmed' },
  cancel: { from: ['OPEN', 'CONFIRMED'], to: 'CANCELLED', done: 'cancelled' },
} as const;

export async function changePurchaseOrderStatus(
  ctx: RequestContext,
  number: string,
  action: keyof typeof TRANSITIONS,
): Promise<{ purchaseOrder: PurchaseOrder | null; errors: UserError[] }> {
  return inTransaction(ctx, async (em) => {
    const [purchaseOrder] = await lockPurchaseOrders(em, { number: number.trim().toUpperCase() });
    if (!purchaseOrder) return { purchaseOrder: null, errors: [userError('NOT_FOUND', `no purchase order ${number}`, undefined, 'number')] };
    const rule = TRANSITIONS[action];
    if (!(rule.from as readonly string[]).includes(purchaseOrder.status)) {
      return {
        purchaseOrder,
        errors: [userError('INVALID_STATUS', `${purchaseOrder.number} is ${purchaseOrder.status}; it cannot be ${rule.done}`, undefined, 'number')],
      };
    }
    purchaseOrder.status = rule.to;
    recordAudit(em, ctx.actor, action, 'PurchaseOrder', purchaseOrder.id, { number: purchaseOrder.number, status: rule.to });
    await em.flush();
    return { purchaseOrder, errors: [] };
  });
}

/**
 * Sets the status of purchase orders from their boxes: RECEIVED once every ordered box has shipped and
 * none is left in staging; SHIPPED when all shipped; else CONFIRMED. Reads what is written: flush (or
 * save the boxes) first. Returns the orders whose status changed.
 */
export async function refreshPurchaseOrderStatuses(em: EntityManager, purchaseOrderIds: number[]): Promise<Map<number, string>> {
  if (purchaseOrderIds.length === 0) return new Map();
  const rows = await updatePurchaseOrderStatusesFromBoxes(em, purchaseOrderIds);
  return new Map(rows.map((row) => [Number(row.id), row.status]));
}

/**
 * refreshPurchaseOrderStatuses after boxes were only confirmed out of staging (confirmation, inbound
 * scans): the boxes shipped stay the same, so CONFIRMED and RECEIVED stay as they are and the one
 * change left is SHIPPED to RECEIVED when no box of the order is still staged. The same outcome,
 * without counting every box of the order on each scan. Boxes leaving staging in this transaction
 * whose new status is not written yet (leavingStagingBoxIds) count as confirmed. `unsettled` are the
 * orders left SHIPPED whose remaining staged boxes may all be leaving in concurrent transactions: pass
 * them to settlePurchaseOrderStatuses once this transaction has committed.
 */
export async function refreshPurchaseOrderStatusesAfterConfirmation(
  em: EntityManager,
  purchaseOrderIds: number[],
  leavingStagingBoxIds: number[] = [],
): Promise<{ changed: Map<number, string>; unsettled: number[] }> {
  if (purchaseOrderIds.length === 0) return { changed: new Map(), unsettled: [] };
  const rows = await markPurchaseOrdersReceived(em, purchaseOrderIds, leavingStagingBoxIds);
  return {
    changed: new Map(rows.filter((row) => row.status === 'RECEIVED').map((row) => [Number(row.id), row.status])),
    unsettled: rows.filter((row) => row.status === 'SHIPPED' && row.others < row.cap).map((row) => Number(row.id)),
  };
}

/**
 * After the transaction that confirmed boxes out of staging has committed: marks RECEIVED the orders it
 * left unsettled whose last staged boxes were taken by transactions that committed meanwhile. Of several
 * scans of an order's last boxes, each sees the others' boxes still staged; the one that commits last
 * sees none here. Outside any transaction (a nested call leaves it to the outer one's caller).
 */
export async function settlePurchaseOrderStatuses(ctx: RequestContext, purchaseOrderIds: number[]): Promise<void> {
  if (purchaseOrderIds.length === 0 || ctx.em.isInTransaction()) return;
  await markPurchaseOrdersReceived(ctx.em.fork(), purchaseOrderIds, []);
}

/** The same for a purchase order held as an entity, which is given its new status. */
export async function refreshPurchaseOrderStatus(em: EntityManager, purchaseOrder: PurchaseOrder): Promise<void> {
  const changed = (await refreshPurchaseOrderStatuses(em, [purchaseOrder.id])).get(purchaseOrder.id);
  if (changed) await em.refresh(purchaseOrder);
}
