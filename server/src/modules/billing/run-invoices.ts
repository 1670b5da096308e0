// What a billing run works with: the items it bills, and the invoices and lines it may extend or makes, as
// plain rows (not entities), with the keys that decide which invoice an item may go on.
import type { BillableBox, BillingLine, BillingPrebook } from '../box/billable-box';
import type { PreviousState } from '../box/box-takes';
import type { InventoryType } from '../box/box.entity';
import type { InvoiceKind } from '../invoice/invoice.entity';
import type { InvoiceHeader } from './billing.repository';

/** Units of one box to bill for one prebook line. */
export interface BillingItem {
  box: BillableBox;
  prebookLine: BillingLine;
  units: number;
  /** The invoice's truck date: the most future truck date of the prebooks the box serves. */
  truckDate: string;
}

export type InvoiceSource = 'AUTO_BILLING' | 'ALLOCATION';

/**
 * An invoice a billing run may extend (read under its row lock) or made: a plain row, not an entity,
 * written set-based by finish() (a scan bills one box; as entities, its invoice and lines cost more in
 * the session's queries and flush than in SQL). Its id is null until finish() writes a made one.
 */
export interface RunInvoice extends InvoiceHeader {
  id: number | null;
  status: string;
  pickTicketPrinted: boolean;
  kind: InvoiceKind;
  /** Only of an invoice the run made. */
  made: { kind: InvoiceKind; source: InvoiceSource; invoiceDate: string } | null;
}

/**
 * A line a billing run may extend: stored (read with what its takes add up to) or added by the run. Its
 * id is null until finish() writes it.
 */
export interface RunLine {
  id: number | null;
  invoice: RunInvoice;
  lineNo: number;
  productId: number;
  prebookLineId: number;
  unitPrice: string | null;
  /** Set when a list priced the line (open market); else the write takes its prebook line's. */
  priceSource?: string | null;
  inventoryType: InventoryType;
  /** What its takes add up to: those stored when it was read, then the run's. */
  units: number;
  cost: bigint;
  boxIds: Set<number>;
  /** The prebook line's cost, when it has one: the line's cost whatever the boxes cost. */
  prebookCost: string | null;
}

/**
 * The lines of one invoice a billing run may extend, in the order it met them, found by prebook line
 * (a search of every line for every box made large confirmations quadratic).
 */
export class InvoiceLines {
  private readonly byPrebookLine = new Map<number, RunLine[]>();
  private readonly known = new Set<number>();

  /** null until read: only a line added to a stored invoice needs it. */
  constructor(public maxLineNo: number | null) {}

  /** Adds a line the run added, or a stored one read (once: a line read again is the one already known). */
  add(line: RunLine): void {
    if (line.id != null) {
      if (this.known.has(line.id)) return;
      this.known.add(line.id);
    }
    const lines = this.byPrebookLine.get(line.prebookLineId);
    if (lines) lines.push(line);
    else this.byPrebookLine.set(line.prebookLineId, [line]);
  }

  /** A line the run added now has its id: read again, it is the one already known. */
  written(line: RunLine): void {
    this.known.add(line.id!);
  }

  ofPrebookLine(id: number): RunLine[] {
    return this.byPrebookLine.get(id) ?? [];
  }
}

/** Units of a box put on a line, not yet written: the take remembers the box's state so a void (or an unallocation) can put it back. */
export interface RunTake {
  line: RunLine;
  box: BillableBox;
  units: number;
  previous: PreviousState;
}

/** Customer, ship-to, carrier, truck date and customer PO: what an invoice must share with an item to take it. */
export function documentKey(customerId: number, shipToId: number | null, carrierId: number | null, truckDate: string, customerPo: string | null): string {
  return JSON.stringify([customerId, shipToId, carrierId, String(truckDate), customerPo ?? null]);
}

/** The document key of a prebook's items on a truck date, and the advisory lock key that serializes placing them. */
export function placementKeys(prebook: BillingPrebook, truckDate: string): { documentKey: string; lockKey: string } {
  const parts = [prebook.customer.id, prebook.shipTo?.id ?? null, prebook.carrier.id, truckDate, prebook.customerPo ?? null] as const;
  return {
    documentKey: documentKey(...parts),
    lockKey: `stemline:invoice:${parts.map((part) => part ?? '').join('|')}`,
  };
}
