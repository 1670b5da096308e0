import type { EntityManager } from '@mikro-orm/postgresql';
import { divRound, fromScaled, sameDecimal, toScaled } from '../../common/decimal';
import { nextDocumentNumbers } from '../../common/document-number.repository';
import type { RequestContext } from '../../common/request-context';
import { isZeroPrice, type InvoiceKind } from '../invoice/invoice.entity';
import type { InventoryType } from '../box/box.entity';
import { PrebookLineSchema } from '../prebook/prebook.entity';
import { orderedQuantity } from '../prebook/prebook.service';
import { BoxSchema } from '../box/box.entity';
import type { Settings } from '../settings/settings.entity';
import { today } from '../../common/today';
import { boxesOnLine } from '../invoice/invoice-totals';
import { takeUnits, type PreviousState } from '../box/box-takes';
import {
  boxIssue,
  creditLimitIssue,
  holidayAfter,
  invoiceTruckDate,
  isFulfilled,
  mayJoin,
  releasedState,
  separationKey,
  splitBox,
  splitByHolidayAndTransit,
  type ItemFacts,
} from './billing-rules';
import {
  changedBillableBoxes,
  isReadUnderLock,
  markBillableBoxesWritten,
  type BillableBox,
  type BillingCustomer,
  type BillingLine,
  type BillingPrebook,
} from '../box/billable-box';
import { BillingIssueSchema, type BillingIssueCode } from './billing-issue.entity';
import {
  insertInvoiceRows,
  type InvoiceHeader,
  lockCandidateInvoices,
  lockInvoiceKeys,
  resolveOpenIssues,
  selectBilledAndExposure,
  selectLinesWithTakeTotals,
  selectMaxLineNos,
  writeBilling,
} from './billing.repository';
import { lockPrebookLines } from '../prebook/prebook.repository';

/** Up to this many takes, finish() writes the boxes taken from in its one statement. */
const WRITE_BOXES_WITH_BILLING_UP_TO = 1000;

/** Units of one box to bill for one prebook line. */
export interface BillingItem {
  box: BillableBox;
  prebookLine: BillingLine;
  units: number;
  /** The invoice's truck date: the most future truck date of the prebooks the box serves. */
  truckDate: string;
}

export interface BoxBilling {
  label: string;
  /** Invoices the box went on (several only when its lines differ in ship-to or customer PO). */
  invoiceNumbers: string[];
  issue: { code: BillingIssueCode; message: string } | null;
  /** Units that no line still needed, released under releaseFulfilled. */
  released: number;
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
interface RunLine {
  id: number | null;
  invoice: RunInvoice;
  lineNo: number;
  productId: number;
  prebookLineId: number;
  unitPrice: string | null;
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
class InvoiceLines {
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

/** What one billing pass has seen and done: quantities billed so far and customers' credit exposure. */
export class BillingRun {
  private readonly billedExtra = new Map<number, number>();
  private readonly exposureExtra = new Map<number, bigint>();
  /** Invoices this run found or made, per consolidation key. */
  private readonly invoicesByKey = new Map<string, RunInvoice>();
  /** Pending and confirmed invoices per documentKey, loaded once per key. */
  private readonly candidates = new Map<string, RunInvoice[]>();
  /** Stored invoices this run read, by id: a second read keeps the first (the run may have changed it). */
  private readonly storedInvoices = new Map<number, RunInvoice>();
  /**
   * Per invoice this run may extend: its lines of the prebook lines the run bills (the only ones it can
   * add to; an invoice's other lines are never read) and its highest line number.
   */
  private readonly invoiceLines = new Map<RunInvoice, InvoiceLines>();
  /** Prebook lines whose lines on the candidate invoices are loaded. */
  private readonly linesLoadedFor = new Set<number>();
  /** Advisory locks this run's transaction holds. */
  private readonly locked = new Set<string>();
  private billedStored = new Map<number, { boxes: number; units: number }>();
  private exposureStored = new Map<number, bigint>();
  private pendingNumber = 0;
  /** Lines the current place() added to stored invoices whose highest line number is not read yet. */
  private unnumberedLines: RunLine[] = [];
  /** Invoices made by the current place(), numbered together at its end. */
  private unnumbered: RunInvoice[] = [];
  /** Boxes whose open issues the next finish() marks resolved. */
  private toResolve: number[] = [];
  /** Takes placed but not yet written (finish() writes them, set-based). */
  private takes: Array<{ line: RunLine; box: BillableBox; units: number; previous: PreviousState }> = [];

  constructor(
    readonly em: EntityManager,
    readonly ctx: RequestContext,
    readonly settings: Settings,
    readonly options: { source: InvoiceSource; dryRun: boolean; today: string },
  ) {}

  /**
   * Locks the prebook lines (those not read under their locks) and loads, in one more query, what they
   * have billed and what the customers owe. With lockKeysOf, that query first takes the advisory locks of
   * the consolidation keys those items will be placed under (a scan knows them before it plans).
   */
  async prepare(lines: BillingLine[], customers: BillingCustomer[], lockKeysOf: Array<{ prebookLine: BillingLine; truckDate: string }> = []): Promise<void> {
    const ids = [...new Set(lines.map((l) => l.id))];
    // Billing of one prebook line is serialized across processes, so no line ever bills beyond its quantity.
    await lockPrebookLines(this.em, [...new Set(lines.filter((l) => !isReadUnderLock(l)).map((l) => l.id))]);
    // Exposure is only compared with a credit limit: summing the pending invoices of a customer without one is work for nothing.
    const limited = customers.filter((c) => c.creditLimit != null);
    const lockKeys = this.keysToLock(lockKeysOf.map((t) => BillingRun.placementKeys(t.prebookLine.prebook, t.truckDate).lockKey));
    const { billed, exposure } = await selectBilledAndExposure(this.em, ids, [...new Set(limited.map((c) => c.id))], lockKeys);
    for (const lockKey of lockKeys) this.locked.add(lockKey);
    this.billedStored = billed;
    this.exposureStored = new Map(exposure.map((r) => [Number(r.id), toScaled(String(r.exposure))]));
  }

  /** Of these advisory lock keys, those this run does not hold yet, once each, in the order every run takes them (so two never deadlock). */
  private keysToLock(lockKeys: string[]): string[] {
    return [...new Set(lockKeys)].filter((k) => !this.locked.has(k)).sort();
  }

  /** The demands of a box billing may bill (their prebooks open) and the truck date of the invoice they go on. */
  static openDemands(box: BillableBox): { open: BillableBox['demands']; truckDate: string } {
    const open = box.demands.filter((d) => d.prebookLine.prebook.status === 'OPEN');
    return { open, truckDate: invoiceTruckDate(open.map((d) => d.prebookLine.prebook.truckDate)) };
  }

  /** What a prebook line still needs to bill, in its own measure (boxes or units). */
  stillNeeded(line: BillingLine): number {
    const stored = this.billedStored.get(line.id) ?? { boxes: 0, units: 0 };
    const billed = (line.sellBy === 'BOX' ? stored.boxes : stored.units) + (this.billedExtra.get(line.id) ?? 0);
    return Math.max(0, orderedQuantity(line) - billed);
  }

  recordBilled(line: BillingLine, quantity: number): void {
    this.billedExtra.set(line.id, (this.billedExtra.get(line.id) ?? 0) + quantity);
  }

  /** openBalance + pending invoices (a pending price counted at cost) + what this run added. */
  exposure(customer: BillingCustomer): bigint {
    return toScaled(customer.openBalance) + (this.exposureStored.get(customer.id) ?? 0n) + (this.exposureExtra.get(customer.id) ?? 0n);
  }

  static itemAmount(item: BillingItem): bigint {
    const unitValue = item.prebookLine.price ?? item.prebookLine.cost ?? item.box.landedUnitCost;
    return toScaled(unitValue) * BigInt(item.units);
  }

  /** The items a box bills, or why it bills none (the decisions are billing-rules.ts). */
  planBox(box: BillableBox): { items: BillingItem[]; issue: { code: BillingIssueCode; message: string; line: BillingLine } | null } {
    const demands = box.demands;
    const first = demands[0].prebookLine;
    const customer = first.prebook.customer;
    const issue = boxIssue({
      label: box.label,
      source: this.options.source,
      today: this.options.today,
      delayDaysAllowed: this.settings.delayDaysAllowed,
      lines: demands.map(({ prebookLine: { prebook } }) => ({
        customerId: prebook.customer.id,
        carrierId: prebook.carrier.id,
        prebookNumber: prebook.number,
        prebookStatus: prebook.status,
        truckDate: prebook.truckDate,
      })),
      customer,
    });
    if (issue) return { items: [], issue: { ...issue, line: first } };
    const { open, truckDate } = BillingRun.openDemands(box);
    const split = splitBox(
      box,
      open.map((d) => ({
        sellBy: d.prebookLine.sellBy,
        truckDate: d.prebookLine.prebook.truckDate,
        demandUnits: d.units,
        stillNeeded: this.stillNeeded(d.prebookLine),
      })),
    );
    const items: BillingItem[] = split.map(({ index, units }) => ({ box, prebookLine: open[index].prebookLine, units, truckDate }));
    const amount = items.reduce((sum, item) => sum + BillingRun.itemAmount(item), 0n);
    const overLimit = items.length
      ? creditLimitIssue({
          label: box.label,
          customerCode: customer.code,
          creditLimit: customer.creditLimit == null ? null : toScaled(customer.creditLimit),
          creditLimitText: customer.creditLimit == null ? '' : fromScaled(toScaled(customer.creditLimit), 2),
          exposure: this.exposure(customer),
          amount,
        })
      : null;
    if (overLimit) return { items: [], issue: { ...overLimit, line: first } };
    return { items, issue: null };
  }

  private static itemFacts(item: BillingItem): ItemFacts {
    const prebook = item.prebookLine.prebook;
    return {
      sellBy: item.prebookLine.sellBy,
      holiday: prebook.holiday,
      received: item.box.received,
      portOfOrigin: item.box.portOfOrigin,
      openMarket: item.box.inventoryType === 'M',
      priced: item.prebookLine.price != null,
      consolidatesConfirmed: prebook.customer.consolidateInvoicesOnAutoBilling,
      transfer: prebook.customer.kind === 'PRODUCTION' && isZeroPrice(item.prebookLine.price),
    };
  }

  private invoiceKey(item: BillingItem): string {
    const prebook = item.prebookLine.prebook;
    const facts = BillingRun.itemFacts(item);
    return JSON.stringify([
      prebook.customer.id,
      prebook.shipTo?.id ?? null,
      prebook.carrier.id,
      item.truckDate,
      prebook.customerPo ?? '',
      ...separationKey(this.settings, facts),
      facts.transfer ? 'TRANSFER' : 'SALE',
    ]);
  }

  /** Whether an existing invoice may take this item (docs/maintainers.md#consolidation). */
  private accepts(invoice: RunInvoice, item: BillingItem): boolean {
    return mayJoin(this.settings, invoice, BillingRun.itemFacts(item));
  }

  /** Customer, ship-to, carrier, truck date and customer PO: what an invoice must share with an item to take it. */
  private static documentKey(customerId: number, shipToId: number | null, carrierId: number | null, truckDate: string, customerPo: string | null): string {
    return JSON.stringify([customerId, shipToId, carrierId, String(truckDate), customerPo ?? null]);
  }

  private static itemDocumentKey(item: BillingItem): string {
    return BillingRun.placementKeys(item.prebookLine.prebook, item.truckDate).documentKey;
  }

  private static placementKeys(prebook: BillingPrebook, truckDate: string) {
    const parts = [prebook.customer.id, prebook.shipTo?.id ?? null, prebook.carrier.id, truckDate, prebook.customerPo ?? null] as const;
    return {
      documentKey: BillingRun.documentKey(...parts),
      lockKey: `stemline:invoice:${parts.map((part) => part ?? '').join('|')}`,
    };
  }

  /**
   * Takes the advisory locks of these consolidation keys (in key order, so two runs never deadlock),
   * then loads, in one query, the pending and confirmed invoices they may extend. Holding the lock
   * until the transaction ends means no other process adds an invoice for the key meanwhile.
   */
  async lockAndLoad(targets: Array<{ prebookLine: BillingLine; truckDate: string }>): Promise<void> {
    const keys = targets.map((t) => ({
      ...BillingRun.placementKeys(t.prebookLine.prebook, t.truckDate),
      prebook: t.prebookLine.prebook,
      truckDate: t.truckDate,
    }));
    const lockKeys = this.keysToLock(keys.map((k) => k.lockKey));
    if (lockKeys.length) {
      await lockInvoiceKeys(this.em, lockKeys);
      for (const lockKey of lockKeys) this.locked.add(lockKey);
    }
    const wanted = keys.filter((k) => !this.candidates.has(k.documentKey));
    if (wanted.length) await this.loadCandidates(wanted);
    await this.loadLines(targets.map((t) => t.prebookLine.id));
  }

  private async loadCandidates(wanted: Array<{ documentKey: string; prebook: BillingPrebook; truckDate: string }>): Promise<void> {
    for (const { documentKey } of wanted) this.candidates.set(documentKey, []);
    // Lock the invoices too: a void, a pick ticket or a price change in another process must not
    // slip between reading an invoice here and adding boxes to it (the box would sit on a void invoice).
    const rows = await lockCandidateInvoices(
      this.em,
      [...new Set(wanted.map((k) => k.prebook.customer.id))],
      [...new Set(wanted.map((k) => String(k.truckDate)))],
    );
    const wantedKeys = new Set(wanted.map((k) => k.documentKey));
    let taken = 0;
    for (const row of rows) {
      const key = BillingRun.documentKey(row.customer_id, row.ship_to_id, row.carrier_id, row.truck_date, row.customer_po);
      if (!wantedKeys.has(key)) continue;
      let invoice = this.storedInvoices.get(row.id);
      if (!invoice) {
        invoice = {
          id: row.id,
          number: row.number,
          customerId: row.customer_id,
          shipToId: row.ship_to_id,
          carrierId: row.carrier_id,
          truckDate: row.truck_date,
          customerPo: row.customer_po,
          status: row.status,
          pickTicketPrinted: row.pick_ticket_printed,
          kind: row.kind,
          holiday: row.holiday,
          portOfOrigin: row.port_of_origin,
          inTransit: row.in_transit,
          hasOpenMarket: row.has_open_market,
          made: null,
        };
        this.storedInvoices.set(row.id, invoice);
      }
      this.candidates.get(key)!.push(invoice);
      if (!this.invoiceLines.has(invoice)) this.invoiceLines.set(invoice, new InvoiceLines(null));
      taken++;
    }
    // Candidates loaded now have none of the lines loaded for earlier prebook lines: load them all again.
    if (taken) this.linesLoadedFor.clear();
  }

  /** Loads, in one query, the lines of stored candidate invoices for these prebook lines, with what their takes add up to. */
  private async loadLines(prebookLineIds: number[]): Promise<void> {
    const needed = [...new Set(prebookLineIds)].filter((id) => !this.linesLoadedFor.has(id));
    if (needed.length === 0) return;
    for (const id of needed) this.linesLoadedFor.add(id);
    const invoices = [...this.storedInvoices.values()];
    if (invoices.length === 0) return;
    const rows = await selectLinesWithTakeTotals(
      this.em,
      invoices.map((i) => i.id!),
      needed,
    );
    for (const row of rows) {
      const invoice = this.storedInvoices.get(row.invoice_id)!;
      this.invoiceLines.get(invoice)?.add({
        id: row.id,
        invoice,
        lineNo: row.line_no,
        productId: row.product_id,
        prebookLineId: row.prebook_line_id!,
        unitPrice: row.unit_price,
        inventoryType: row.inventory_type as InventoryType,
        units: Number(row.units),
        cost: toScaled(row.cost),
        boxIds: new Set(row.box_ids.map(Number)),
        prebookCost: null,
      });
    }
  }

  /** Finds the invoice this item consolidates into, or makes a new one (after lockAndLoad). */
  private invoiceFor(item: BillingItem, key: string): RunInvoice {
    const prebook = item.prebookLine.prebook;
    const kind: InvoiceKind = BillingRun.itemFacts(item).transfer ? 'TRANSFER' : 'SALE';
    const known = this.invoicesByKey.get(key);
    // An invoice this run made for the key is the one its items share: the key holds every separation.
    if (known && (known.made || this.accepts(known, item))) return known;
    const candidates = this.candidates.get(BillingRun.itemDocumentKey(item))!;
    const existing = candidates.find((invoice) => this.accepts(invoice, item));
    if (existing) {
      this.invoicesByKey.set(key, existing);
      return existing;
    }
    const invoice: RunInvoice = {
      id: null,
      number: '',
      customerId: prebook.customer.id,
      shipToId: prebook.shipTo?.id ?? null,
      carrierId: prebook.carrier.id,
      truckDate: String(item.truckDate),
      customerPo: prebook.customerPo ?? null,
      status: 'PENDING',
      pickTicketPrinted: false,
      kind,
      holiday: holidayAfter(null, { sellBy: item.prebookLine.sellBy, holiday: prebook.holiday }),
      portOfOrigin: item.box.portOfOrigin,
      inTransit: splitByHolidayAndTransit(item.prebookLine.sellBy) ? !item.box.received : null,
      hasOpenMarket: false,
      made: { kind, source: this.options.source, invoiceDate: this.options.today },
    };
    candidates.push(invoice);
    this.invoicesByKey.set(key, invoice);
    this.invoiceLines.set(invoice, new InvoiceLines(0));
    this.unnumbered.push(invoice);
    return invoice;
  }

  private lineFor(invoice: RunInvoice, item: BillingItem): RunLine {
    const type = item.box.inventoryType ?? 'M';
    const entry = this.invoiceLines.get(invoice)!;
    const found = entry.ofPrebookLine(item.prebookLine.id).find((line) => line.inventoryType === type && sameDecimal(line.unitPrice, item.prebookLine.price));
    if (found) return found;
    const line: RunLine = {
      id: null,
      invoice,
      // Numbered at the end of place() when the invoice's highest line number is not read yet.
      lineNo: entry.maxLineNo === null ? 0 : ++entry.maxLineNo,
      productId: item.box.productId,
      prebookLineId: item.prebookLine.id,
      unitPrice: item.prebookLine.price ?? null,
      inventoryType: type,
      units: 0,
      cost: 0n,
      boxIds: new Set(),
      prebookCost: null,
    };
    entry.add(line);
    if (entry.maxLineNo === null) this.unnumberedLines.push(line);
    return line;
  }

  /** Counts items as billed for this run's later checks (what lines still need, customers' exposure). */
  reserve(items: BillingItem[]): void {
    for (const item of items) {
      this.recordBilled(item.prebookLine, item.prebookLine.sellBy === 'BOX' ? 1 : item.units);
      const customer = item.prebookLine.prebook.customer;
      this.exposureExtra.set(customer.id, (this.exposureExtra.get(customer.id) ?? 0n) + BillingRun.itemAmount(item));
    }
  }

  /**
   * Puts reserved items on invoices under the consolidation rules, all at once: each consolidation
   * key is serialized across processes by a transaction-scoped advisory lock, taken in key order so
   * two runs never deadlock; then one query loads the invoices those keys may extend.
   */
  async place(items: BillingItem[]): Promise<Map<BillingItem, RunInvoice>> {
    const byKey = new Map<string, BillingItem[]>();
    for (const item of items) {
      const key = this.invoiceKey(item);
      const group = byKey.get(key);
      if (group) group.push(item);
      else byKey.set(key, [item]);
    }
    const keys = [...byKey.keys()].sort();
    await this.lockAndLoad(items.map((item) => ({ prebookLine: item.prebookLine, truckDate: item.truckDate })));
    const placed = new Map<BillingItem, RunInvoice>();
    for (const key of keys) {
      for (const item of byKey.get(key)!) {
        const invoice = this.invoiceFor(item, key);
        const line = this.lineFor(invoice, item);
        this.take(line, item);
        if (item.box.inventoryType === 'M') invoice.hasOpenMarket = true;
        // Before inTransit: the first item in boxes sets the flag.
        invoice.holiday = holidayAfter(invoice, { sellBy: item.prebookLine.sellBy, holiday: item.prebookLine.prebook.holiday });
        if (invoice.inTransit == null && splitByHolidayAndTransit(item.prebookLine.sellBy)) invoice.inTransit = !item.box.received;
        // Boxes of several ports (separateByPortOfOrigin off): the invoice has no one port, and a port
        // separation switched on later never matches it.
        if (invoice.portOfOrigin != null && invoice.portOfOrigin !== item.box.portOfOrigin) invoice.portOfOrigin = null;
        placed.set(item, invoice);
      }
    }
    await this.numberLines();
    const numbers = this.options.dryRun
      ? this.unnumbered.map(() => `(new invoice ${++this.pendingNumber})`)
      : await nextDocumentNumbers(this.em, 'INV', this.unnumbered.length);
    this.unnumbered.forEach((invoice, i) => (invoice.number = numbers[i]));
    this.unnumbered = [];
    return placed;
  }

  /** Numbers the lines added to stored invoices after each invoice's highest line number, read in one query. */
  private async numberLines(): Promise<void> {
    if (this.unnumberedLines.length === 0) return;
    const lines = this.unnumberedLines;
    this.unnumberedLines = [];
    const invoices = [...new Set(lines.map((line) => line.invoice))];
    const rows = await selectMaxLineNos(
      this.em,
      invoices.map((invoice) => invoice.id!),
    );
    const max = new Map(rows.map((row) => [Number(row.id), Number(row.max)]));
    for (const invoice of invoices) this.invoiceLines.get(invoice)!.maxLineNo = max.get(invoice.id!) ?? 0;
    for (const line of lines) line.lineNo = ++this.invoiceLines.get(line.invoice)!.maxLineNo!;
  }

  /**
   * Puts units of a box on an invoice line: the take remembers the box's state so a void (or an
   * unallocation) can put it back; a box whose units are all taken is INVOICED.
   */
  private take(line: RunLine, item: BillingItem): void {
    const previous = takeUnits(item.box, item.units);
    line.units += item.units;
    line.boxIds.add(item.box.id);
    line.cost += toScaled(item.box.landedUnitCost) * BigInt(item.units);
    line.prebookCost = item.prebookLine.cost ?? null;
    this.takes.push({ line, box: item.box, units: item.units, previous });
  }

  /**
   * Writes what place() did: the invoices the run made (one statement), then, in one more, the lines'
   * units, boxes and cost (the prebook line's cost when it has one, the real GPM of a finished good, else
   * the average landed cost of everything the line took), the lines the run added, the changed invoices
   * and the takes, and (up to WRITE_BOXES_WITH_BILLING_UP_TO takes) the boxes taken from as they now are;
   * the caller's saveBillableBoxes writes any other box, or one changed later.
   */
  async finish(): Promise<void> {
    const resolve = this.toResolve;
    this.toResolve = [];
    if (this.takes.length === 0) {
      if (resolve.length) await resolveOpenIssues(this.em, resolve);
      return;
    }
    const takes = this.takes;
    this.takes = [];
    const lines = [...new Set(takes.map((take) => take.line))];
    const invoices = [...new Set(lines.map((line) => line.invoice))];
    const at = new Date();
    const unwrittenInvoices = invoices.filter((invoice) => invoice.id == null);
    if (unwrittenInvoices.length) {
      const rows = await insertInvoiceRows(
        this.em,
        unwrittenInvoices.map((invoice) => ({ ...invoice, ...invoice.made! })),
        at,
      );
      const idOf = new Map(rows.map((row) => [row.number, Number(row.id)]));
      for (const invoice of unwrittenInvoices) {
        invoice.id = idOf.get(invoice.number)!;
        // Read again by a later place(), it is this one.
        this.storedInvoices.set(invoice.id, invoice);
      }
    }
    const inserted = new Set(unwrittenInvoices);
    const unitCostOf = (line: RunLine) => line.prebookCost ?? fromScaled(line.units ? divRound(line.cost, BigInt(line.units)) : 0n, 2);
    const unwritten = lines.filter((line) => line.id == null);
    // The boxes go with the rest while a key's lock is held for a few (a scan); a large confirmation writes
    // them in a statement of their own (the caller's saveBillableBoxes), not holding all of the parameters at once.
    const boxes = takes.length <= WRITE_BOXES_WITH_BILLING_UP_TO ? changedBillableBoxes(new Set(takes.map((take) => take.box))) : [];
    const rows = await writeBilling(
      this.em,
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
    for (const line of unwritten) {
      line.id = idOf.get(`${line.invoice.id}:${line.lineNo}`)!;
      this.invoiceLines.get(line.invoice)!.written(line);
    }
  }

  /** What is left of a box no line needs any more follows releaseFulfilled. */
  release(box: BillableBox): void {
    const released = releasedState(this.settings.releaseFulfilled);
    if (box.unitsRemaining > 0 && released) Object.assign(box, released);
  }

  /** Records why boxes were not billed, refreshing a box's open issue of the same code instead of adding another. */
  async recordIssues(issues: Array<{ box: BillableBox; issue: { code: BillingIssueCode; message: string; line: BillingLine } }>): Promise<void> {
    if (issues.length === 0) return;
    const open = await this.em.find(BillingIssueSchema, { box: { $in: issues.map((i) => i.box.id) }, resolvedAt: null });
    const byBoxAndCode = new Map(open.map((issue) => [`${issue.box.id}:${issue.code}`, issue]));
    for (const { box, issue } of issues) {
      const existing = byBoxAndCode.get(`${box.id}:${issue.code}`);
      if (existing) Object.assign(existing, { message: issue.message, at: new Date() });
      else
        this.em.create(BillingIssueSchema, {
          box: this.em.getReference(BoxSchema, box.id),
          prebookLine: this.em.getReference(PrebookLineSchema, issue.line.id),
          code: issue.code,
          message: issue.message,
          resolvedAt: null,
        } as never);
    }
  }

  /**
   * Marks the boxes' open issues resolved with the next finish(), in the statement that writes what it
   * billed: no round trip of its own while the keys' locks are held.
   */
  resolveIssuesOnFinish(boxes: BillableBox[]): void {
    this.toResolve.push(...boxes.map((b) => b.id));
  }

  /** Marks the boxes' open issues resolved, in one statement (billed boxes rarely have any; reading them would cost more). */
  async resolveIssues(boxes: BillableBox[]): Promise<void> {
    if (boxes.length === 0) return;
    await resolveOpenIssues(
      this.em,
      boxes.map((b) => b.id),
    );
  }
}

/**
 * Automatic billing of boxes that entered inventory (or were scanned): each
 * box of a prebook or standing order is billed to its customer, consolidated
 * into a pending invoice when the rules allow, or gets a billing issue that
 * says why not. Open-market boxes are never billed automatically.
 */
export async function autoBill(
  em: EntityManager,
  ctx: RequestContext,
  settings: Settings,
  boxes: BillableBox[],
  options: { dryRun: boolean; today?: string },
): Promise<Map<string, BoxBilling>> {
  const run = new BillingRun(em, ctx, settings, { source: 'AUTO_BILLING', dryRun: options.dryRun, today: options.today ?? today(settings) });
  const billable = boxes.filter((box) => box.status === 'IN_INVENTORY' && (box.inventoryType === 'P' || box.inventoryType === 'S') && box.unitsRemaining > 0);
  const lines = billable.flatMap((box) => box.demands.map((d) => d.prebookLine));
  // The keys the boxes' items can go under, locked with the first read after the prebook lines' locks.
  const keysOf = billable.flatMap((box) => {
    const { open, truckDate } = BillingRun.openDemands(box);
    return open.map((d) => ({ prebookLine: d.prebookLine, truckDate }));
  });
  await run.prepare(
    lines,
    lines.map((l) => l.prebook.customer),
    keysOf,
  );

  const outcomes = new Map<string, BoxBilling>();
  const planned: Array<{ box: BillableBox; items: BillingItem[] }> = [];
  const issues: Array<{ box: BillableBox; issue: { code: BillingIssueCode; message: string; line: BillingLine } }> = [];
  for (const box of billable) {
    const { items, issue } = run.planBox(box);
    if (issue) {
      issues.push({ box, issue });
      outcomes.set(box.label, { label: box.label, invoiceNumbers: [], issue: { code: issue.code, message: issue.message }, released: 0 });
      continue;
    }
    run.reserve(items);
    planned.push({ box, items });
  }
  await run.recordIssues(issues);
  // Written with the invoices: the keys' locks are held to the commit (hot keys serialize concurrent
  // scans on them), so nothing adds a round trip of its own under them.
  run.resolveIssuesOnFinish(planned.filter((p) => p.items.length).map((p) => p.box));
  const placed = await run.place(planned.flatMap((p) => p.items));
  for (const { box, items } of planned) {
    const released = box.unitsRemaining;
    run.release(box);
    outcomes.set(box.label, { label: box.label, invoiceNumbers: [...new Set(items.map((item) => placed.get(item)!.number))], issue: null, released });
  }
  await run.finish();
  return outcomes;
}

/**
 * Confirmed boxes whose prebook lines are all fully billed follow releaseFulfilled, whatever the
 * autoBilling mode (automatic billing does this itself when it runs): with OPEN_MARKET they become
 * type M with no customer.
 */
export async function releaseFulfilledBoxes(
  em: EntityManager,
  ctx: RequestContext,
  settings: Settings,
  boxes: BillableBox[],
): Promise<Map<string, BoxBilling>> {
  const candidates = boxes.filter(
    (box) => box.status === 'IN_INVENTORY' && (box.inventoryType === 'P' || box.inventoryType === 'S') && box.unitsRemaining > 0 && box.demands.length > 0,
  );
  const outcomes = new Map<string, BoxBilling>();
  if (candidates.length === 0) return outcomes;
  const run = new BillingRun(em, ctx, settings, { source: 'AUTO_BILLING', dryRun: true, today: today(settings) });
  await run.prepare(
    candidates.flatMap((box) => box.demands.map((d) => d.prebookLine)),
    [],
  );
  for (const box of candidates) {
    if (!isFulfilled(box.demands.map((d) => run.stillNeeded(d.prebookLine)))) continue;
    const released = box.unitsRemaining;
    run.release(box);
    outcomes.set(box.label, { label: box.label, invoiceNumbers: [], issue: null, released });
  }
  return outcomes;
}
