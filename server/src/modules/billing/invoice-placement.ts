// Where a billing run's items go: each consolidation key locked (an advisory lock, in key order), the pending
// and confirmed invoices it may extend locked and read, then each item put on an invoice that accepts it
// (the consolidation rules of billing-rules.ts) or on one the run makes, on a line of its prebook line.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sameDecimal, toScaled } from '../../common/decimal';
import { nextDocumentNumbers } from '../../common/document-number.repository';
import type { InventoryType } from '../box/box.entity';
import type { BillingLine, BillingPrebook } from '../box/billable-box';
import { takeUnits } from '../box/box-takes';
import { isZeroPrice, type InvoiceKind } from '../invoice/invoice.entity';
import type { Settings } from '../settings/settings.entity';
import { holidayAfter, mayJoin, separationKey, splitByHolidayAndTransit, type ItemFacts } from './billing-rules';
import { lockCandidateInvoices, lockInvoiceKeys, selectLinesWithTakeTotals, selectMaxLineNos } from './billing.repository';
import { writeRun } from './billing-write';
import { documentKey, InvoiceLines, placementKeys, type BillingItem, type InvoiceSource, type RunInvoice, type RunLine, type RunTake } from './run-invoices';

/** The invoices one billing run may extend or makes, the advisory locks it holds, and the takes it has yet to write. */
export class InvoicePlacement {
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
  private pendingNumber = 0;
  /** Lines the current place() added to stored invoices whose highest line number is not read yet. */
  private unnumberedLines: RunLine[] = [];
  /** Invoices made by the current place(), numbered together at its end. */
  private unnumbered: RunInvoice[] = [];
  /** Takes placed but not yet written (finish() writes them, set-based). */
  private takes: RunTake[] = [];
  /** The OPEN_MARKET list price of an open-market item whose prebook line has no price (allocation, fill); null: none. */
  openMarketPrice: ((item: BillingItem) => { price: string | null; source: string | null }) | null = null;

  constructor(
    readonly em: EntityManager,
    readonly settings: Settings,
    readonly options: { source: InvoiceSource; dryRun: boolean; today: string },
  ) {}

  /** Of these advisory lock keys, those this run does not hold yet, once each, in the order every run takes them (so two never deadlock). */
  keysToLock(lockKeys: string[]): string[] {
    return [...new Set(lockKeys)].filter((k) => !this.locked.has(k)).sort();
  }

  /** Advisory locks the run's transaction took (with a read of its own): held until it ends. */
  markLocked(lockKeys: string[]): void {
    for (const lockKey of lockKeys) this.locked.add(lockKey);
  }

  /** What consolidation decides by, of an item. */
  static itemFacts(item: BillingItem): ItemFacts {
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
    const facts = InvoicePlacement.itemFacts(item);
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
    return mayJoin(this.settings, invoice, InvoicePlacement.itemFacts(item));
  }

  private static itemDocumentKey(item: BillingItem): string {
    return placementKeys(item.prebookLine.prebook, item.truckDate).documentKey;
  }

  /**
   * Takes the advisory locks of these consolidation keys (in key order, so two runs never deadlock),
   * then loads, in one query, the pending and confirmed invoices they may extend. Holding the lock
   * until the transaction ends means no other process adds an invoice for the key meanwhile.
   */
  async lockAndLoad(targets: Array<{ prebookLine: BillingLine; truckDate: string }>): Promise<void> {
    const keys = targets.map((t) => ({
      ...placementKeys(t.prebookLine.prebook, t.truckDate),
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
    // With the invoices, the charge days of the invoices the run may extend or make (their charges are recomputed as it writes).
    const rows = await lockCandidateInvoices(
      this.em,
      [...new Set(wanted.map((k) => k.prebook.customer.id))],
      [...new Set(wanted.map((k) => String(k.truckDate)))],
      wanted.map((k) => ({ customerId: k.prebook.customer.id, truckDate: String(k.truckDate) })),
    );
    const wantedKeys = new Set(wanted.map((k) => k.documentKey));
    let taken = 0;
    for (const row of rows) {
      const key = documentKey(row.customer_id, row.ship_to_id, row.carrier_id, row.truck_date, row.customer_po);
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
    const kind: InvoiceKind = InvoicePlacement.itemFacts(item).transfer ? 'TRANSFER' : 'SALE';
    const known = this.invoicesByKey.get(key);
    // An invoice this run made for the key is the one its items share: the key holds every separation.
    if (known && (known.made || this.accepts(known, item))) return known;
    const candidates = this.candidates.get(InvoicePlacement.itemDocumentKey(item))!;
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

  /** An item's unit price: its prebook line's; for open market without one, the OPEN_MARKET lists' when they price it. */
  private itemPrice(item: BillingItem, type: InventoryType): { price: string | null; source: string | null } {
    if (item.prebookLine.price != null || type !== 'M' || !this.openMarketPrice) return { price: item.prebookLine.price ?? null, source: null };
    return this.openMarketPrice(item);
  }

  private lineFor(invoice: RunInvoice, item: BillingItem): RunLine {
    const type = item.box.inventoryType ?? 'M';
    const entry = this.invoiceLines.get(invoice)!;
    const { price, source } = this.itemPrice(item, type);
    const found = entry.ofPrebookLine(item.prebookLine.id).find((line) => line.inventoryType === type && sameDecimal(line.unitPrice, price));
    if (found) return found;
    const line: RunLine = {
      id: null,
      invoice,
      // Numbered at the end of place() when the invoice's highest line number is not read yet.
      lineNo: entry.maxLineNo === null ? 0 : ++entry.maxLineNo,
      productId: item.box.productId,
      prebookLineId: item.prebookLine.id,
      unitPrice: price,
      priceSource: source,
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

  /** Writes what place() did (billing-write.ts), with the open issues of `resolve`'s boxes marked resolved. */
  async finish(resolve: number[]): Promise<void> {
    const takes = this.takes;
    this.takes = [];
    const { madeInvoices, addedLines } = await writeRun(this.em, takes, resolve);
    // Read again by a later place(), a made invoice is this one, and an added line the one already known.
    for (const invoice of madeInvoices) this.storedInvoices.set(invoice.id!, invoice);
    for (const line of addedLines) this.invoiceLines.get(line.invoice)!.written(line);
  }
}
