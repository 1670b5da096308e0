import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { stockBoxes } from '../../../support/receiving';
import { startTestServer, type TestServer } from '../../../support/test-server';
import { planRestock } from '../../../../server/src/modules/credit/credit-restock';

const REQUEST = `mutation($input: RequestCreditInput!) { requestCredit(input: $input) { credit { number status } errors { code message field } } }`;
const APPROVE = `mutation($number: String!) { approveCredit(number: $number) { credit { number status } errors { code message field } } }`;
const VOID = `mutation($number: String!) { voidCredit(number: $number, reason: "entered twice") { credit { number status } errors { code message field } } }`;
const REPORT = `{ gpmReport { revenue cost restockedCost costRecovered margin rows { revenue credits cost restockedCost margin } } }`;
const SCAN_OUT = `mutation($labels: [String!]!) { scanBoxes(labels: $labels, kind: OUTBOUND) { results { label outcome } } }`;

describe('planRestock', () => {
  const source = (boxId: number, taken: number, restocked: number, shippedOut: boolean) => ({ boxId, label: `B${boxId}`, taken, restocked, shippedOut });

  it('takes units from the boxes that never left, each up to what it has not returned yet', () => {
    expect(planRestock(140, [source(1, 100, 0, true), source(2, 100, 60, false), source(3, 100, 0, false)])).toEqual({
      ok: true,
      takes: [
        { source: source(2, 100, 60, false), units: 40 },
        { source: source(3, 100, 0, false), units: 100 },
      ],
    });
  });

  it('refuses more than the boxes still in the warehouse hold, naming the ones that left', () => {
    expect(planRestock(141, [source(1, 100, 0, true), source(2, 100, 60, false), source(3, 100, 0, false)])).toEqual({
      ok: false,
      restockable: 140,
      shipped: ['B1'],
    });
  });
});

describe('restocking credited units', () => {
  let t: TestServer;
  let roses: string[];
  let invoice: { number: string; lineId: string };

  async function request(units: number, restock: boolean) {
    return (
      await t.ok(REQUEST, { input: { invoice: invoice.number, reason: 'DAMAGED', lines: [{ kind: 'QUANTITY', invoiceLine: invoice.lineId, units, restock }] } })
    ).requestCredit;
  }

  async function boxesAddUp(): Promise<number> {
    const rows = await t.orm.em.fork().execute<Array<{ n: string }>>(
      `select count(*) as n from box b left join (select t.box_id, sum(t.units) as units from invoice_line_box t join invoice_line l on l.id = t.invoice_line_id
         join invoice i on i.id = l.invoice_id where i.status <> 'VOID' group by t.box_id) taken on taken.box_id = b.id
        where b.units <> b.units_remaining + coalesce(taken.units, 0)`,
    );
    return Number(rows[0].n);
  }

  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    roses = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 4, unitCost: '0.40' });
    // 4 boxes × 100 stems × 0.80 = 320.00, at a landed cost of 0.40 a stem: cost 160.00.
    const created = await t.ok(`mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number lines { id } } } }`, {
      input: { customer: 'BLOOMS', truckDate: '2027-02-10', lines: [{ labels: roses, unitPrice: '0.80' }] },
    });
    invoice = { number: created.createInvoice.invoice.number, lineId: created.createInvoice.invoice.lines[0].id };
    await t.ok(`mutation { confirmInvoice(number: "${invoice.number}") { errors { code } } }`);
  });
  afterAll(() => t.close());

  it('returns 100 stems as a new open-market box at 0.40 on approval, and takes 40.00 off the sale cost (160.00 → 120.00)', async () => {
    const a = await request(100, true);
    const b = await request(100, true);
    expect([a.errors, b.errors]).toEqual([[], []]);
    // Three of the four boxes leave the warehouse: only the fourth can still come back.
    await t.ok(SCAN_OUT, { labels: roses.slice(0, 3) });
    expect((await t.ok(APPROVE, { number: a.credit.number })).approveCredit).toEqual({ credit: { number: a.credit.number, status: 'APPROVED' }, errors: [] });

    const restocked = await t.orm.em.fork().execute<
      Array<{
        label: string;
        units: number;
        units_remaining: number;
        status: string;
        inventory_type: string;
        landed_unit_cost: string;
        from: string;
        customer_id: number | null;
      }>
    >(
      `select b.label, b.units, b.units_remaining, b.status, b.inventory_type, b.landed_unit_cost::text as landed_unit_cost, o.label as from, b.customer_id
           from box b join box o on o.id = b.restock_of_id`,
    );
    const shown = await t.ok(`{ credit(number: "${a.credit.number}") { lines { restock restockedBoxes } } }`);
    expect(shown.credit.lines).toEqual([{ restock: true, restockedBoxes: [restocked[0]?.label] }]);
    expect(restocked).toEqual([
      {
        label: expect.stringMatching(/^B-/),
        units: 100,
        units_remaining: 100,
        status: 'IN_INVENTORY',
        inventory_type: 'M',
        landed_unit_cost: '0.4000',
        from: roses[3],
        customer_id: null,
      },
    ]);
    const { gpmReport } = await t.ok(REPORT);
    expect(gpmReport).toMatchObject({ revenue: '240.00', cost: '120.00', restockedCost: '40.00', costRecovered: '0.00', margin: '120.00' });
    expect(gpmReport.rows).toEqual([{ revenue: '240.00', credits: '80.00', cost: '120.00', restockedCost: '40.00', margin: '120.00' }]);
    // The vendor shipped 4 boxes on the order, not 5: the restock box is not one of them.
    const [po] = await t.orm.em
      .fork()
      .execute<Array<{ number: string; line: number }>>(
        `select po.number, l.id as line from box b join purchase_order_line l on l.id = b.purchase_order_line_id join purchase_order po on po.id = l.purchase_order_id where b.label = ?`,
        [roses[0]],
      );
    const more = await t.ok(`mutation($input: ShipPurchaseOrderInput!) { shipPurchaseOrder(input: $input) { errors { code message } } }`, {
      input: { purchaseOrder: po.number, lines: [{ poLine: String(po.line), boxes: 1 }] },
    });
    expect(more.shipPurchaseOrder.errors).toContainEqual({ code: 'EXCEEDS_ORDERED', message: expect.stringContaining('has 0 of 4 boxes left to ship') });
    expect(await boxesAddUp()).toBe(0);

    // B asked for the same box's units: on approval they are gone (the others left), refused naming the line.
    const refused = (await t.ok(APPROVE, { number: b.credit.number })).approveCredit;
    expect(refused.credit.status).toBe('PENDING');
    expect(refused.errors).toEqual([
      {
        code: 'RESTOCK_NOT_ALLOWED',
        field: 'lines.1.restock',
        message: `line 1: ${invoice.number} line 1 (ROSE-FREEDOM-50): 0 unit(s) can go back to stock, 100 asked; ${roses.slice(0, 3).join(', ')} left the warehouse (outbound scan). Units that left are written off: leave restock out, or record boxes that came back with a RETURN scan (scanBoxes) first`,
      },
    ]);
  });

  it('refuses a restock when requested if the boxes left, and writes the units off without restock', async () => {
    const refused = await request(100, true);
    expect(refused).toEqual({
      credit: null,
      errors: [
        {
          code: 'RESTOCK_NOT_ALLOWED',
          field: 'lines.1.restock',
          message: expect.stringContaining(`${invoice.number} line 1 (ROSE-FREEDOM-50): 0 unit(s) can go back to stock, 100 asked`),
        },
      ],
    });
    const written = await t.ok(`mutation { voidCredit(number: "CR-000002", reason: "not needed") { errors { code } } }`);
    expect(written.voidCredit.errors).toEqual([]);
    const writeOff = await request(100, false);
    expect(writeOff.errors).toEqual([]);
    expect((await t.ok(APPROVE, { number: writeOff.credit.number })).approveCredit.errors).toEqual([]);
    // Written off: revenue falls by 80.00 more, the cost stays (no units came back).
    const { gpmReport } = await t.ok(REPORT);
    expect(gpmReport).toMatchObject({ revenue: '160.00', cost: '120.00', restockedCost: '40.00', margin: '40.00' });
  });

  it('voids a restocking credit only while its box is whole: the box goes VOID and the cost comes back (120.00 → 160.00)', async () => {
    expect((await t.ok(VOID, { number: 'CR-000001' })).voidCredit).toEqual({ credit: { number: 'CR-000001', status: 'VOID' }, errors: [] });
    const [box] = await t.orm.em.fork().execute<Array<{ status: string }>>(`select status from box where restock_of_id is not null`);
    expect(box.status).toBe('VOID');
    const { gpmReport } = await t.ok(REPORT);
    expect(gpmReport).toMatchObject({ revenue: '240.00', cost: '160.00', restockedCost: '0.00', margin: '80.00' });
    expect(await boxesAddUp()).toBe(0);
    const audit = await t.orm.em.fork().execute<Array<{ action: string }>>(`select action from audit_event where entity = 'Credit' order by id`);
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['request', 'restock', 'approve', 'unrestock', 'void']));
  });

  it('refuses to void a credit whose returned box was sold since (RESTOCKED_UNITS_USED)', async () => {
    const d = await request(100, true);
    expect(d.errors).toEqual([]);
    expect((await t.ok(APPROVE, { number: d.credit.number })).approveCredit.errors).toEqual([]);
    const [box] = await t.orm.em.fork().execute<Array<{ label: string }>>(`select label from box where restock_of_id is not null and status = 'IN_INVENTORY'`);
    const sold = await t.ok(`mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { errors { code message } } }`, {
      input: { customer: 'FRESHMART', truckDate: '2027-02-11', lines: [{ labels: [box.label], unitPrice: '0.90' }] },
    });
    expect(sold.createInvoice.errors).toEqual([]);
    expect((await t.ok(VOID, { number: d.credit.number })).voidCredit).toEqual({
      credit: { number: d.credit.number, status: 'APPROVED' },
      errors: [
        {
          code: 'RESTOCKED_UNITS_USED',
          field: 'number',
          message: `${d.credit.number} returned units to stock that are no longer all there (${box.label}): it cannot be voided`,
        },
      ],
    });
    expect(await boxesAddUp()).toBe(0);
  });
});
