import type { Settings } from '../settings/settings.entity';
import { billsOn as billsOnMode, type BillingEvent } from '../billing/billing-rules';
import type { BillableBox } from '../box/billable-box';

// What confirming a box means, for a confirmation (confirm-staging) and for a scan (scan-boxes) alike.

/** Whether automatic billing runs on this event under the company's settings. */
export function billsOn(settings: Settings, event: BillingEvent): boolean {
  return billsOnMode(settings.autoBilling, event);
}

/** Moves a staged box into inventory with its type and owner. */
export function confirmBox(box: BillableBox, now: Date): void {
  Object.assign(box, classifyBox(box), { status: 'IN_INVENTORY', confirmedAt: now });
}

/** Type and owner of a box entering inventory (docs/maintainers.md#inventory-types). */
function classifyBox(box: BillableBox): Pick<BillableBox, 'inventoryType' | 'customer' | 'prebookLineId'> {
  const [first] = box.demands;
  if (first) {
    const prebook = first.prebookLine.prebook;
    if (prebook.customer.kind === 'FUTURE_SALES') return { inventoryType: 'M', customer: null, prebookLineId: first.prebookLine.id };
    return {
      inventoryType: prebook.source === 'STANDING_ORDER' ? 'S' : 'P',
      customer: { id: prebook.customer.id, code: prebook.customer.code },
      prebookLineId: first.prebookLine.id,
    };
  }
  return { inventoryType: 'M', customer: box.purchaseOrderCustomer, prebookLineId: null };
}
