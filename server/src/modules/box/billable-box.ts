// Boxes as confirmation, billing and allocation read and change them: plain rows, read with one query
// and written back with one set-based statement. A confirmation moves thousands of boxes at once; as
// managed entities they cost more in hydration, change tracking and garbage than all the SQL.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Prebook, PrebookLine } from '../prebook/prebook.entity';
import type { BoxStatus, InventoryType } from './box.entity';
import {
  lockBoxRowsByLabel,
  selectBillingLineRows,
  selectBoxRows,
  selectIdsOfBoxesPastStaging,
  updateBoxes,
  type BillingLineRow,
  type BoxRow,
} from './box.repository';

/** What billing reads of a prebook's customer. */
export type BillingCustomer = Pick<
  Prebook['customer'],
  'id' | 'code' | 'name' | 'kind' | 'creditHold' | 'creditLimit' | 'openBalance' | 'consolidateInvoicesOnAutoBilling' | 'excludedFromAutoBilling'
>;

/** What billing reads of a prebook. */
export type BillingPrebook = Pick<Prebook, 'id' | 'number' | 'status' | 'source' | 'truckDate' | 'customerPo' | 'holiday'> & {
  customer: BillingCustomer;
  shipTo?: { id: number } | null;
  carrier: { id: number };
};

/**
 * What billing reads of a prebook line: a PrebookLine entity has it, and so has the plain row a billable
 * box's demands are read as (thousands of lines as entities cost more to hydrate and track than the SQL).
 */
export type BillingLine = Pick<PrebookLine, 'id' | 'sellBy' | 'boxes' | 'units' | 'price' | 'cost'> & { prebook: BillingPrebook };

export interface BillableDemand {
  units: number;
  prebookLine: BillingLine;
}

export interface BillableBox {
  readonly id: number;
  readonly label: string;
  readonly units: number;
  readonly landedUnitCost: string;
  readonly portOfOrigin: string;
  readonly productId: number;
  readonly productCode: string;
  readonly boxTypeId: number;
  readonly boxTypeCode: string;
  /** The box's location bills units as boxes. */
  readonly billUnitsAsBoxes: boolean;
  readonly purchaseOrderId: number;
  /** The customer the box's purchase order was bought for, if any. */
  readonly purchaseOrderCustomer: { id: number; code: string } | null;
  readonly arrivalDate: string;
  readonly createdAt: Date;
  status: BoxStatus;
  unitsRemaining: number;
  inventoryType: InventoryType | null;
  customer: { id: number; code: string } | null;
  prebookLineId: number | null;
  received: boolean;
  receivedAt: Date | null;
  shippedOutAt: Date | null;
  confirmedAt: Date | null;
  /** The prebook lines the box was bought for, in the order they were linked. */
  demands: BillableDemand[];
}

/** What a box was when it was read: only boxes that differ from it are written. */
const loaded = new WeakMap<BillableBox, string>();

function changeableState(box: BillableBox): string {
  return JSON.stringify([
    box.status,
    box.unitsRemaining,
    box.inventoryType,
    box.customer?.id ?? null,
    box.prebookLineId,
    box.received,
    box.receivedAt?.getTime() ?? null,
    box.shippedOutAt?.getTime() ?? null,
    box.confirmedAt?.getTime() ?? null,
  ]);
}

const date = (value: Date | string | null): Date | null => (value == null ? null : value instanceof Date ? value : new Date(value));

/**
 * Reads boxes by id (in id order) with the prebook lines they serve, those as plain rows with their
 * prebooks and customers: a few thousand lines at most, shared by many boxes.
 */
export async function loadBillableBoxes(em: EntityManager, ids: number[]): Promise<BillableBox[]> {
  if (ids.length === 0) return [];
  return billableBoxes(em, await selectBoxRows(em, ids));
}

/** Prebook lines read under their row locks (lockBillableBoxes with lockPrebookLines): billing need not lock them again. */
const lockedLines = new WeakSet<BillingLine>();

export function isReadUnderLock(line: BillingLine): boolean {
  return lockedLines.has(line);
}

/** Prebook lines as plain rows, each prebook and customer one object shared by its lines. */
function billingLines(rows: BillingLineRow[]): BillingLine[] {
  const customers = new Map<number, BillingCustomer>();
  const prebooks = new Map<number, BillingPrebook>();
  return rows.map((row) => {
    const customerId = Number(row.customer_id);
    let customer = customers.get(customerId);
    if (!customer) {
      customer = {
        id: customerId,
        code: row.customer_code,
        name: row.customer_name,
        kind: row.customer_kind,
        creditHold: row.credit_hold,
        creditLimit: row.credit_limit,
        openBalance: row.open_balance,
        consolidateInvoicesOnAutoBilling: row.consolidate_invoices_on_auto_billing,
        excludedFromAutoBilling: row.excluded_from_auto_billing,
      };
      customers.set(customerId, customer);
    }
    const prebookId = Number(row.prebook_id);
    let prebook = prebooks.get(prebookId);
    if (!prebook) {
      prebook = {
        id: prebookId,
        number: row.prebook_number,
        status: row.prebook_status,
        source: row.prebook_source,
        truckDate: row.truck_date,
        customerPo: row.customer_po,
        holiday: row.holiday,
        customer,
        shipTo: row.ship_to_id == null ? null : { id: Number(row.ship_to_id) },
        carrier: { id: Number(row.carrier_id) },
      };
      prebooks.set(prebookId, prebook);
    }
    return {
      id: Number(row.id),
      sellBy: row.sell_by,
      boxes: row.boxes == null ? null : Number(row.boxes),
      units: Number(row.units),
      price: row.price,
      cost: row.cost,
      prebook,
    };
  });
}

/** Box rows as billable boxes, with the prebook lines they serve read (and, with lockLines, locked) in one query. */
async function billableBoxes(em: EntityManager, rows: BoxRow[], lockLines = false): Promise<BillableBox[]> {
  const lineIds = [...new Set(rows.flatMap((row) => row.demands.map(([lineId]) => Number(lineId))))];
  const lines = lineIds.length ? billingLines(await selectBillingLineRows(em, lineIds, { lock: lockLines })) : [];
  if (lockLines) for (const line of lines) lockedLines.add(line);
  const lineById = new Map(lines.map((line) => [line.id, line]));
  return rows.map((row): BillableBox => {
    const box: BillableBox = {
      id: Number(row.id),
      label: row.label,
      units: Number(row.units),
      landedUnitCost: row.landed_unit_cost,
      portOfOrigin: row.port_of_origin,
      productId: Number(row.product_id),
      productCode: row.product_code,
      boxTypeId: Number(row.box_type_id),
      boxTypeCode: row.box_type_code,
      billUnitsAsBoxes: row.bill_units_as_boxes,
      purchaseOrderId: Number(row.purchase_order_id),
      purchaseOrderCustomer: row.po_customer_id == null ? null : { id: Number(row.po_customer_id), code: row.po_customer_code! },
      arrivalDate: row.arrival_date,
      createdAt: date(row.created_at)!,
      status: row.status,
      unitsRemaining: Number(row.units_remaining),
      inventoryType: row.inventory_type,
      customer: row.customer_id == null ? null : { id: Number(row.customer_id), code: row.customer_code! },
      prebookLineId: row.prebook_line_id == null ? null : Number(row.prebook_line_id),
      received: row.received,
      receivedAt: date(row.received_at),
      shippedOutAt: date(row.shipped_out_at),
      confirmedAt: date(row.confirmed_at),
      demands: row.demands.map(([lineId, units]) => ({ units: Number(units), prebookLine: lineById.get(Number(lineId))! })),
    };
    loaded.set(box, changeableState(box));
    return box;
  });
}

/**
 * Locks boxes by label (in id order) and reads them, in one statement. With onlyStaged, boxes past
 * staging are read but not locked: confirmation only reports them, and locking them would take an
 * invoice's boxes in the opposite order to a void of that invoice (deadlock). With lockPrebookLines, the
 * prebook lines the boxes serve are locked as they are read, after the boxes, as billing would lock them.
 */
export async function lockBillableBoxes(
  em: EntityManager,
  labels: string[],
  options: { onlyStaged?: boolean; lockPrebookLines?: boolean } = {},
): Promise<Map<string, BillableBox>> {
  if (labels.length === 0) return new Map();
  const rows = await lockBoxRowsByLabel(em, labels, options.onlyStaged ?? false);
  if (options.onlyStaged) {
    const others = await selectIdsOfBoxesPastStaging(em, labels);
    if (others.length)
      rows.push(
        ...(await selectBoxRows(
          em,
          others.map((row) => Number(row.id)),
        )),
      );
  }
  const boxes = await billableBoxes(em, rows, options.lockPrebookLines ?? false);
  return new Map(boxes.map((box) => [box.label, box]));
}

/** The boxes that changed since they were read (or last written). */
export function changedBillableBoxes(boxes: Iterable<BillableBox>): BillableBox[] {
  return [...boxes].filter((box) => loaded.get(box) !== changeableState(box));
}

/** Records that these boxes were written as they are now (by a statement that wrote them with others). */
export function markBillableBoxesWritten(boxes: Iterable<BillableBox>): void {
  for (const box of boxes) loaded.set(box, changeableState(box));
}

/** Writes the boxes that changed since they were read, in one statement. */
export async function saveBillableBoxes(em: EntityManager, boxes: Iterable<BillableBox>): Promise<number> {
  const changed = changedBillableBoxes(boxes);
  if (changed.length === 0) return 0;
  await updateBoxes(em, changed);
  markBillableBoxesWritten(changed);
  return changed.length;
}
