// Taking a box (or units of it) onto an invoice line and giving it back: one implementation for manual
// invoices, allocations, automatic billing, voids and unallocations. Boxes are plain rows (billable-box.ts),
// locked and written by the one lock of boxes there.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { BoxStatus, InventoryType } from './box.entity';
import { lockBillableBoxes, saveBillableBoxes, type BillableBox } from './billable-box';
import { insertTakeRows } from './box.repository';

/** What a box was before a take: a void or an unallocation puts it back. */
export interface PreviousState {
  status: BoxStatus;
  inventoryType: InventoryType | null;
  customer: { id: number; code: string } | null;
}

/** Takes units of a box: remembers what the box was; a box whose units are all taken is INVOICED. */
export function takeUnits(box: BillableBox, units: number): PreviousState {
  const previous = { status: box.status, inventoryType: box.inventoryType, customer: box.customer };
  box.unitsRemaining -= units;
  if (box.unitsRemaining === 0) box.status = 'INVOICED';
  return previous;
}

/**
 * Gives a take back. A box still partly in inventory keeps what it is now (its rest may have been released
 * to open market since): the units rejoin it. A box the take emptied goes back to what it was before.
 */
export function giveBack(box: BillableBox, take: { units: number; previous: PreviousState }): void {
  if (box.unitsRemaining === 0)
    Object.assign(box, { status: take.previous.status, inventoryType: take.previous.inventoryType, customer: take.previous.customer });
  box.unitsRemaining += take.units;
}

/** Writes takes (invoice_line_box rows) in one statement; the lines must have ids (flushed). */
export async function insertTakes(
  em: EntityManager,
  takes: ReadonlyArray<{ lineId: number; boxId: number; units: number; previous: PreviousState }>,
): Promise<void> {
  if (takes.length === 0) return;
  await insertTakeRows(em, takes);
}

/** Gives back, under the boxes' row locks, what invoice lines took (a void, an unallocation). */
export async function returnTakes(em: EntityManager, takes: ReadonlyArray<{ label: string; units: number; previous: PreviousState }>): Promise<void> {
  const boxes = await lockBillableBoxes(em, [...new Set(takes.map((take) => take.label))]);
  for (const take of takes) giveBack(boxes.get(take.label)!, take);
  await saveBillableBoxes(em, boxes.values());
}
