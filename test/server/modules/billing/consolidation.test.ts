import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { confirm, DEFAULT_SETTINGS, invoice, isoDate, prebookInStaging, setSettings } from '../../../support/billing';
import { seedCatalogue } from '../../../support/fixtures';
import { stockBoxes } from '../../../support/receiving';
import { startTestServer, type TestServer } from '../../../support/test-server';

const roses = (boxes: number, extra: object = {}) => ({ product: 'ROSE-FREEDOM-50', boxes, unitsPerBox: 100, price: '0.80', cost: '0.55', ...extra });

describe('consolidation and the billing settings', () => {
  let t: TestServer;
  let day = 20;
  /** A fresh truck date per test, so invoices of other tests never interfere. */
  const nextTruck = () => isoDate(day++);
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
  });
  beforeEach(() => setSettings(t, DEFAULT_SETTINGS));
  afterAll(() => t.close());

  async function billedInvoice(prebook: Parameters<typeof prebookInStaging>[1], shipping?: Parameters<typeof prebookInStaging>[2]) {
    const pb = await prebookInStaging(t, prebook, shipping);
    const results = await confirm(t, pb.labels);
    return { pb, numbers: results.flatMap((r) => r.billing?.invoiceNumbers ?? []) };
  }

  it('adds to the pending invoice of the same customer, ship-to, carrier, truck date and PO; a different PO makes its own', async () => {
    const truckDate = nextTruck();
    const a = await billedInvoice({ customer: 'FRESHMART', shipTo: 'DC-ATL', truckDate, customerPo: 'PO-1', lines: [roses(1)] });
    const b = await billedInvoice({ customer: 'FRESHMART', shipTo: 'DC-ATL', truckDate, customerPo: 'PO-1', lines: [roses(1)] });
    const c = await billedInvoice({ customer: 'FRESHMART', shipTo: 'DC-ATL', truckDate, customerPo: 'PO-2', lines: [roses(1)] });
    const d = await billedInvoice({ customer: 'FRESHMART', shipTo: 'DC-ORL', truckDate, customerPo: 'PO-1', lines: [roses(1)] });
    expect(b.numbers).toEqual(a.numbers);
    expect(c.numbers).not.toEqual(a.numbers);
    expect(d.numbers).not.toEqual(a.numbers);
    expect((await invoice(t, a.numbers[0])).lines.map((l: any) => l.prebookLine.prebookNumber)).toEqual([a.pb.number, b.pb.number]);
  });

  it('reuses a CONFIRMED invoice only for customers with consolidateInvoicesOnAutoBilling', async () => {
    const truckDate = nextTruck();
    const first = await billedInvoice({ customer: 'BLOOMS', truckDate, lines: [roses(1)] });
    await t.ok(`mutation { confirmInvoice(number: "${first.numbers[0]}") { errors { code } } }`);
    const second = await billedInvoice({ customer: 'BLOOMS', truckDate, lines: [roses(1)] });
    expect(second.numbers).not.toEqual(first.numbers);
    await t.ok(`mutation { upsertCustomers(input: [{ code: "BLOOMS", consolidateInvoicesOnAutoBilling: true }]) { errors { code } } }`);
    await t.ok(`mutation { confirmInvoice(number: "${second.numbers[0]}") { errors { code } } }`);
    const third = await billedInvoice({ customer: 'BLOOMS', truckDate, lines: [roses(1)] });
    expect(third.numbers).toEqual(first.numbers);
    await t.ok(`mutation { upsertCustomers(input: [{ code: "BLOOMS", consolidateInvoicesOnAutoBilling: false }]) { errors { code } } }`);
  });

  it('a CONFIRMED invoice takes only priced items: an unpriced one goes on a new pending invoice (a confirmed invoice cannot wait for a price)', async () => {
    await t.ok(`mutation { upsertCustomers(input: [{ code: "BLOOMS", consolidateInvoicesOnAutoBilling: true }]) { errors { code } } }`);
    try {
      const truckDate = nextTruck();
      const first = await billedInvoice({ customer: 'BLOOMS', truckDate, lines: [roses(1)] });
      await t.ok(`mutation { confirmInvoice(number: "${first.numbers[0]}") { errors { code } } }`);
      const unpriced = await billedInvoice({ customer: 'BLOOMS', truckDate, lines: [roses(1, { price: null })] });
      expect(unpriced.numbers).toHaveLength(1);
      expect(unpriced.numbers).not.toEqual(first.numbers);
      expect(await invoice(t, unpriced.numbers[0])).toMatchObject({ status: 'PENDING', pricePending: true });
      const priced = await billedInvoice({ customer: 'BLOOMS', truckDate, lines: [roses(1)] });
      expect(priced.numbers).toEqual(first.numbers);
      expect(await invoice(t, first.numbers[0])).toMatchObject({ status: 'CONFIRMED', pricePending: false });
    } finally {
      await t.ok(`mutation { upsertCustomers(input: [{ code: "BLOOMS", consolidateInvoicesOnAutoBilling: false }]) { errors { code } } }`);
    }
  });

  it('extending a pending invoice gives it a new version, so prices set against the old one are refused as stale', async () => {
    const truckDate = nextTruck();
    const first = await billedInvoice({ customer: 'FRESHMART', truckDate, lines: [roses(1, { price: null })] });
    const VERSION = `query($n: String!) { invoice(number: $n) { version lines { id } } }`;
    const before = (await t.ok(VERSION, { n: first.numbers[0] })).invoice;
    const second = await billedInvoice({ customer: 'FRESHMART', truckDate, lines: [roses(1, { price: null })] });
    expect(second.numbers).toEqual(first.numbers);
    const after = (await t.ok(VERSION, { n: first.numbers[0] })).invoice;
    expect(after.lines).toHaveLength(2);
    expect(after.version).toBeGreaterThan(before.version);
    const stale = await t.ok(
      `mutation($n: String!, $p: [InvoicePriceInput!]!, $v: Int) { setInvoicePrices(number: $n, prices: $p, version: $v) { errors { code } } }`,
      {
        n: first.numbers[0],
        p: [{ line: before.lines[0].id, unitPrice: '0.90' }],
        v: before.version,
      },
    );
    expect(stale.setInvoicePrices.errors.map((e: { code: string }) => e.code)).toEqual(['STALE_VERSION']);
  });

  it('separateHoliday: holiday and regular items share an invoice only when off', async () => {
    for (const separateHoliday of [true, false]) {
      await setSettings(t, { separateHoliday });
      const truckDate = nextTruck();
      const regular = await billedInvoice({ customer: 'FRESHMART', truckDate, lines: [roses(1)] });
      const holiday = await billedInvoice({ customer: 'FRESHMART', truckDate, holiday: true, lines: [roses(1)] });
      expect(holiday.numbers[0] === regular.numbers[0]).toBe(!separateHoliday);
    }
  });

  it('separateHoliday splits boxes only: unit lines of one key share an invoice whatever their flag, and the invoice is flagged by its boxes', async () => {
    const carnations = { product: 'CARN-WHITE', units: 150, price: '0.20' };
    for (const firstBox of [false, true]) {
      const truckDate = nextTruck();
      // The holiday unit line's box is confirmed first, then a regular unit line of the same key.
      const holidayUnits = await billedInvoice({ customer: 'FRESHMART', truckDate, holiday: true, lines: [carnations] });
      const regularUnits = await billedInvoice({ customer: 'FRESHMART', truckDate, lines: [carnations] });
      expect(regularUnits.numbers).toEqual(holidayUnits.numbers);
      const shared = holidayUnits.numbers[0];
      expect(await invoice(t, shared)).toMatchObject({ holiday: false, lines: [{ units: 150 }, { units: 150 }] });
      // A later box line goes to the invoice its own flag selects: the first one (either flag) joins the
      // invoice of unit lines and flags it; one of the other flag then makes its own.
      const first = await billedInvoice({ customer: 'FRESHMART', truckDate, holiday: firstBox, lines: [roses(1)] });
      expect(first.numbers).toEqual([shared]);
      expect((await invoice(t, shared)).holiday).toBe(firstBox);
      const other = await billedInvoice({ customer: 'FRESHMART', truckDate, holiday: !firstBox, lines: [roses(1)] });
      expect(other.numbers).not.toEqual([shared]);
      expect((await invoice(t, other.numbers[0])).holiday).toBe(!firstBox);
      // More of either flag follow their own invoice; more unit lines still go on the first.
      const again = await billedInvoice({ customer: 'FRESHMART', truckDate, holiday: firstBox, lines: [roses(1)] });
      expect(again.numbers).toEqual([shared]);
      const otherAgain = await billedInvoice({ customer: 'FRESHMART', truckDate, holiday: !firstBox, lines: [roses(1)] });
      expect(otherAgain.numbers).toEqual(other.numbers);
      const moreUnits = await billedInvoice({ customer: 'FRESHMART', truckDate, holiday: !firstBox, lines: [carnations] });
      expect(moreUnits.numbers).toEqual([shared]);
    }
  });

  it('separateByPortOfOrigin: different ports share an invoice only when off', async () => {
    for (const separateByPortOfOrigin of [true, false]) {
      await setSettings(t, { separateByPortOfOrigin });
      const truckDate = nextTruck();
      const bog = await billedInvoice({ customer: 'FRESHMART', truckDate, lines: [roses(1)] }, { port: 'BOG' });
      const uio = await billedInvoice({ customer: 'FRESHMART', truckDate, lines: [roses(1)] }, { port: 'UIO' });
      expect(uio.numbers[0] === bog.numbers[0]).toBe(!separateByPortOfOrigin);
    }
  });

  it('an invoice that took boxes of several ports (separation off) has no port, and takes no more boxes once the separation is on', async () => {
    await setSettings(t, { separateByPortOfOrigin: false });
    const truckDate = nextTruck();
    const bog = await billedInvoice({ customer: 'FRESHMART', truckDate, lines: [roses(1)] }, { port: 'BOG' });
    const uio = await billedInvoice({ customer: 'FRESHMART', truckDate, lines: [roses(1)] }, { port: 'UIO' });
    expect(uio.numbers).toEqual(bog.numbers);
    expect((await invoice(t, bog.numbers[0])).portOfOrigin).toBeNull();
    await setSettings(t, { separateByPortOfOrigin: true });
    const later = await billedInvoice({ customer: 'FRESHMART', truckDate, lines: [roses(1)] }, { port: 'BOG' });
    expect(later.numbers).not.toEqual(bog.numbers);
    expect((await invoice(t, later.numbers[0])).portOfOrigin).toBe('BOG');
  });

  it('separateByPickTicket: a printed invoice is reused only when off', async () => {
    for (const separateByPickTicket of [true, false]) {
      await setSettings(t, { separateByPickTicket });
      const truckDate = nextTruck();
      const first = await billedInvoice({ customer: 'FRESHMART', truckDate, lines: [roses(1)] });
      await t.ok(`mutation { printPickTicket(number: "${first.numbers[0]}") { errors { code } } }`);
      const second = await billedInvoice({ customer: 'FRESHMART', truckDate, lines: [roses(1)] });
      expect(second.numbers[0] === first.numbers[0]).toBe(!separateByPickTicket);
    }
  });

  it('separateInTransitAndOnHand: an on-hand box joins an in-transit invoice only when off', async () => {
    for (const separateInTransitAndOnHand of [true, false]) {
      await setSettings(t, { separateInTransitAndOnHand });
      const truckDate = nextTruck();
      const inTransit = await billedInvoice({ customer: 'FRESHMART', truckDate, lines: [roses(1)] });
      const pb = await prebookInStaging(t, { customer: 'FRESHMART', truckDate, lines: [roses(1)] });
      await t.ok(`mutation($l: [String!]!) { scanBoxes(labels: $l, kind: INBOUND) { results { outcome } } }`, { l: pb.labels });
      const [onHand] = await confirm(t, pb.labels);
      expect(onHand.billing!.invoiceNumbers[0] === inTransit.numbers[0]).toBe(!separateInTransitAndOnHand);
    }
  });

  it('consolidateOpenMarket: an invoice holding open-market items is reused only when on', async () => {
    const open = await stockBoxes(t, { product: 'VASE-20', boxes: 2, unitCost: '1', vendor: 'VASECO' });
    for (const consolidateOpenMarket of [false, true]) {
      await setSettings(t, { consolidateOpenMarket });
      const truckDate = nextTruck();
      const manual = await t.ok(`mutation($i: CreateInvoiceInput!) { createInvoice(input: $i) { invoice { number } errors { code } } }`, {
        i: { customer: 'FRESHMART', carrier: 'ARMELLINI', truckDate, lines: [{ labels: [open.shift()], unitPrice: '3' }] },
      });
      const billed = await billedInvoice({ customer: 'FRESHMART', truckDate, lines: [roses(1)] });
      expect(billed.numbers[0] === manual.createInvoice.invoice.number).toBe(consolidateOpenMarket);
    }
  });

  it('prices: null bills as price pending, 0.00 bills at 0.00', async () => {
    const truckDate = nextTruck();
    const pending = await billedInvoice({ customer: 'FRESHMART', truckDate, lines: [roses(1, { price: null })] });
    expect(await invoice(t, pending.numbers[0])).toMatchObject({ pricePending: true, gpmPercent: null, lines: [{ unitPrice: null, amount: null }] });
    const free = await billedInvoice({ customer: 'BLOOMS', truckDate, lines: [roses(1, { price: '0.00' })] });
    expect(await invoice(t, free.numbers[0])).toMatchObject({ pricePending: false, total: '0.00', lines: [{ unitPrice: '0.00', amount: '0.00' }] });
  });

  it('releaseFulfilled and opened boxes: only what the line needs bills; the rest becomes open market or keeps its customer', async () => {
    for (const releaseFulfilled of ['OPEN_MARKET', 'KEEP_CUSTOMER']) {
      await setSettings(t, { releaseFulfilled });
      // 150 carnations sold by the unit, bought as one box of 500.
      const pb = await prebookInStaging(t, { customer: 'FRESHMART', truckDate: nextTruck(), lines: [{ product: 'CARN-WHITE', units: 150, price: '0.20' }] });
      const [result] = await confirm(t, pb.labels);
      expect(result.billing).toMatchObject({ issue: null, releasedUnits: 350 });
      expect(result.box).toEqual(
        releaseFulfilled === 'OPEN_MARKET'
          ? { status: 'IN_INVENTORY', inventoryType: 'M', customer: null, unitsRemaining: 350 }
          : { status: 'IN_INVENTORY', inventoryType: 'P', customer: { code: 'FRESHMART' }, unitsRemaining: 350 },
      );
      expect((await invoice(t, result.billing!.invoiceNumbers[0])).lines[0]).toMatchObject({ boxes: 1, units: 150, amount: '30.00' });
      // Voided, the 150 units rejoin the box as it is now: released open-market stock is not handed back to the customer.
      await t.ok(`mutation($n: String!) { voidInvoice(number: $n) { errors { code } } }`, { n: result.billing!.invoiceNumbers[0] });
      const box = await t.ok(`query($l: String!) { box(label: $l) { status inventoryType customer { code } unitsRemaining } }`, { l: result.label });
      expect(box.box).toEqual({ ...result.box, unitsRemaining: 500 });
    }
  });

  it('billUnitsAsBoxes at the box location: a line in units bills the whole box', async () => {
    await setSettings(t, { billUnitsAsBoxes: [{ location: 'NYC', enabled: true }] });
    const pb = await prebookInStaging(
      t,
      { customer: 'FRESHMART', truckDate: nextTruck(), lines: [{ product: 'CARN-WHITE', units: 150, price: '0.20' }] },
      { location: 'NYC' },
    );
    const [result] = await confirm(t, pb.labels);
    expect(result.box).toMatchObject({ status: 'INVOICED', unitsRemaining: 0 });
    expect((await invoice(t, result.billing!.invoiceNumbers[0])).lines[0]).toMatchObject({ boxes: 1, units: 500 });
    const view = await t.ok(`{ prebooks(filter: { number: "${pb.number}" }) { nodes { lines { ordered billed } } } }`);
    expect(view.prebooks.nodes[0].lines[0]).toEqual({ ordered: 150, billed: 500 });
  });

  it('allowMultiplePrebookLinesPerPoLine: one box for two truck dates bills once, dated by the most future truck date', async () => {
    await setSettings(t, { allowMultiplePrebookLinesPerPoLine: true });
    const [early, late] = [nextTruck(), nextTruck()];
    const a = await t.ok(`mutation($i: [PrebookInput!]!) { savePrebooks(input: $i) { prebooks { number lines { id } } } }`, {
      i: [
        { customer: 'BLOOMS', carrier: 'ARMELLINI', truckDate: early, lines: [{ product: 'CARN-WHITE', units: 200, price: '0.2' }] },
        { customer: 'BLOOMS', carrier: 'ARMELLINI', truckDate: late, lines: [{ product: 'CARN-WHITE', units: 300, price: '0.2' }] },
      ],
    });
    const ids = a.savePrebooks.prebooks.map((p: any) => ({ id: p.lines[0].id, unitCost: '0.1' }));
    const po = await t.ok(
      `mutation($i: CreatePurchaseOrdersFromPrebooksInput!) { createPurchaseOrdersFromPrebooks(input: $i) { purchaseOrders { number lines { id boxes } } } }`,
      {
        i: { vendor: 'FLORES-EC', location: 'MIA', prebookLines: ids },
      },
    );
    const [order] = po.createPurchaseOrdersFromPrebooks.purchaseOrders;
    expect(order.lines).toHaveLength(1);
    const shipped = await t.ok(`mutation($i: ShipPurchaseOrderInput!) { shipPurchaseOrder(input: $i) { boxes { label demands { units } } } }`, {
      i: { purchaseOrder: order.number, lines: [{ poLine: order.lines[0].id, boxes: 1 }] },
    });
    expect(shipped.shipPurchaseOrder.boxes[0].demands).toEqual([{ units: 200 }, { units: 300 }]);
    const [result] = await confirm(t, [shipped.shipPurchaseOrder.boxes[0].label]);
    expect(result.billing!.invoiceNumbers).toHaveLength(1);
    const bill = await invoice(t, result.billing!.invoiceNumbers[0]);
    expect(bill.truckDate).toBe(late);
    expect(bill.lines.map((l: any) => l.units)).toEqual([200, 300]);
  });

  it('a dry run returns exactly what confirmation would do, and writes nothing', async () => {
    const pb = await prebookInStaging(t, { customer: 'FRESHMART', truckDate: nextTruck(), lines: [roses(2)] });
    const invoicesBefore = (await t.ok(`{ invoices { totalCount } }`)).invoices.totalCount;
    const dry = await confirm(t, pb.labels, true);
    expect(dry.map((r) => [r.outcome, r.box!.status, r.billing!.invoiceNumbers])).toEqual([
      ['CONFIRMED', 'INVOICED', ['(new invoice 1)']],
      ['CONFIRMED', 'INVOICED', ['(new invoice 1)']],
    ]);
    expect((await t.ok(`{ invoices { totalCount } }`)).invoices.totalCount).toBe(invoicesBefore);
    expect((await t.ok(`{ staging(filter: { prebookNumber: "${pb.number}" }) { totalCount } }`)).staging.totalCount).toBe(2);
    const real = await confirm(t, pb.labels);
    expect(real.map((r) => [r.outcome, r.box!.status])).toEqual(dry.map((r) => [r.outcome, r.box!.status]));
    expect(real[0].billing!.invoiceNumbers).toEqual(real[1].billing!.invoiceNumbers);
  });
});
