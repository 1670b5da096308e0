// Issue 15: ways billing billed the wrong amount, each reproduced against the code before its fix.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { confirm, DEFAULT_SETTINGS, invoice, isoDate, prebookInStaging, prebooksInStaging, setSettings } from '../../../support/billing';
import { seedCatalogue } from '../../../support/fixtures';
import { stockBoxes } from '../../../support/receiving';
import { startTestServer, type TestServer } from '../../../support/test-server';

const carnations = (units: number, price: string) => ({ product: 'CARN-WHITE', sellBy: 'UNIT', units, price, cost: '0.10' });
const roses = (boxes: number) => ({ product: 'ROSE-FREEDOM-50', boxes, unitsPerBox: 100, price: '0.80', cost: '0.55' });
const SCAN = `mutation($l: [String!]!, $k: ScanKind!) { scanBoxes(labels: $l, kind: $k) { results { label outcome message shippingLabel billing { invoiceNumbers issue { code } } box { status } } } }`;

describe('billing money-correctness (issue 15)', () => {
  let t: TestServer;
  let day = 20;
  const nextTruck = () => isoDate(day++);
  const sql = (query: string) => t.orm.em.getConnection().execute(query);
  const billed = async (number: string) =>
    (await t.ok(`{ prebooks(filter: { number: "${number}" }) { nodes { lines { billed } } } }`)).prebooks.nodes[0].lines.map((l: any) => l.billed);

  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
  });
  beforeEach(async () => {
    await setSettings(t, DEFAULT_SETTINGS);
    await t.ok(`mutation { upsertCustomers(input: [{ code: "BLOOMS", creditHold: false }]) { errors { code } } }`);
  });
  afterAll(() => t.close());

  describe('1. pooled unit lines with billUnitsAsBoxes', () => {
    it('a box serving two lines bills each its own units at its own price on one invoice; massAllocate afterwards bills nothing more', async () => {
      await setSettings(t, { billUnitsAsBoxes: [{ location: 'MIA', enabled: true }] });
      const truck = nextTruck();
      const [pb1, pb2] = await prebooksInStaging(t, [
        { customer: 'FRESHMART', truckDate: truck, lines: [carnations(200, '0.20')] },
        { customer: 'FRESHMART', truckDate: truck, lines: [carnations(300, '0.30')] },
      ]);
      expect(pb1.labels).toHaveLength(1);
      const [result] = await confirm(t, pb1.labels);
      expect(result.box!.status).toBe('INVOICED');
      expect(result.billing!.invoiceNumbers).toHaveLength(1);
      const bill = await invoice(t, result.billing!.invoiceNumbers[0]);
      expect(bill.total).toBe('130.00');
      expect(bill.lines.map((l: any) => [l.prebookLine.prebookNumber, l.units, l.unitPrice, l.amount])).toEqual([
        [pb1.number, 200, '0.20', '40.00'],
        [pb2.number, 300, '0.30', '90.00'],
      ]);
      expect([await billed(pb1.number), await billed(pb2.number)]).toEqual([[200], [300]]);

      // Open-market carnations in stock: massAllocate must find nothing these lines still need.
      await stockBoxes(t, { product: 'CARN-WHITE', boxes: 1, unitCost: '0.10', vendor: 'FLORES-EC' });
      const mass = await t.ok(
        `mutation { massAllocate(filter: { customer: "FRESHMART", product: "CARN-WHITE" }) { lines { prebookLine { prebookNumber } allocated } } }`,
      );
      expect(mass.massAllocate.lines.filter((l: any) => [pb1.number, pb2.number].includes(l.prebookLine.prebookNumber) && l.allocated > 0)).toEqual([]);
      expect([await billed(pb1.number), await billed(pb2.number)]).toEqual([[200], [300]]);
    });

    it('the rounding remainder goes on the line with the most future truck date, on one invoice of that date', async () => {
      await setSettings(t, { billUnitsAsBoxes: [{ location: 'MIA', enabled: true }], allowMultiplePrebookLinesPerPoLine: true });
      const early = nextTruck();
      const late = nextTruck();
      const [pbLate, pbEarly] = await prebooksInStaging(t, [
        { customer: 'BLOOMS', truckDate: late, lines: [carnations(150, '0.30')] },
        { customer: 'BLOOMS', truckDate: early, lines: [carnations(200, '0.20')] },
      ]);
      expect(pbLate.labels).toHaveLength(1);
      const [result] = await confirm(t, pbLate.labels);
      expect(result.billing!.invoiceNumbers).toHaveLength(1);
      const bill = await invoice(t, result.billing!.invoiceNumbers[0]);
      expect(bill.truckDate).toBe(late);
      // 500 - 350 ordered = 150 of rounding, all on the later line; the earlier line bills exactly its 200.
      const byPrebook = Object.fromEntries(bill.lines.map((l: any) => [l.prebookLine.prebookNumber, l.units]));
      expect(byPrebook).toEqual({ [pbEarly.number]: 200, [pbLate.number]: 300 });
      expect(result.box!.status).toBe('INVOICED');
      expect(bill.total).toBe('130.00');
    });

    it('without billUnitsAsBoxes the pooled box is opened: each line its own units, the rest stays in inventory', async () => {
      await setSettings(t, { allowMultiplePrebookLinesPerPoLine: true });
      const truck = nextTruck();
      const [pb1, pb2] = await prebooksInStaging(t, [
        { customer: 'FRESHMART', truckDate: truck, lines: [carnations(120, '0.20')] },
        { customer: 'FRESHMART', truckDate: truck, lines: [carnations(180, '0.30')] },
      ]);
      const [result] = await confirm(t, pb1.labels);
      expect(result.box).toMatchObject({ status: 'IN_INVENTORY', unitsRemaining: 200 });
      expect([await billed(pb1.number), await billed(pb2.number)]).toEqual([[120], [180]]);
    });
  });

  describe('3. an outbound scan that cannot bill', () => {
    it('leaves the box in inventory, not shipped, with its issue; a rescan once the hold is lifted bills and labels it', async () => {
      await setSettings(t, { autoBilling: 'ON_OUTBOUND_SCAN' });
      const pb = await prebookInStaging(t, { customer: 'BLOOMS', truckDate: nextTruck(), lines: [roses(1)] });
      await confirm(t, pb.labels);
      await t.ok(`mutation { upsertCustomers(input: [{ code: "BLOOMS", creditHold: true }]) { errors { code } } }`);
      const first = (await t.ok(SCAN, { l: pb.labels, k: 'OUTBOUND' })).scanBoxes.results[0];
      expect(first).toMatchObject({
        outcome: 'NOT_SHIPPED',
        shippingLabel: null,
        billing: { invoiceNumbers: [], issue: { code: 'CREDIT_HOLD' } },
        box: { status: 'IN_INVENTORY' },
      });
      expect(await sql(`select shipped_out_at from box where label = '${pb.labels[0]}'`)).toEqual([{ shipped_out_at: null }]);
      const issues = await t.ok(`{ billingIssues(filter: { label: "${pb.labels[0]}" }) { nodes { code } } }`);
      expect(issues.billingIssues.nodes).toEqual([{ code: 'CREDIT_HOLD' }]);

      await t.ok(`mutation { upsertCustomers(input: [{ code: "BLOOMS", creditHold: false }]) { errors { code } } }`);
      const again = (await t.ok(SCAN, { l: pb.labels, k: 'OUTBOUND' })).scanBoxes.results[0];
      expect(again).toMatchObject({ outcome: 'SCANNED', box: { status: 'INVOICED' } });
      expect(again.billing.invoiceNumbers).toHaveLength(1);
      expect(again.shippingLabel).toContain(again.billing.invoiceNumbers[0]);
      expect((await sql(`select shipped_out_at from box where label = '${pb.labels[0]}'`))[0].shipped_out_at).not.toBeNull();
      const open = await t.ok(`{ billingIssues(filter: { label: "${pb.labels[0]}" }) { totalCount } }`);
      expect(open.billingIssues.totalCount).toBe(0);
    });

    it('a box already invoiced by allocation ships at the outbound scan, with its shipping label', async () => {
      await setSettings(t, { autoBilling: 'ON_OUTBOUND_SCAN' });
      const [label] = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 1, unitCost: '0.40' });
      const saved = await t.ok(`mutation($i: [PrebookInput!]!) { savePrebooks(input: $i) { prebooks { lines { id } } } }`, {
        i: [{ customer: 'FRESHMART', carrier: 'ARMELLINI', truckDate: nextTruck(), lines: [roses(1)] }],
      });
      const allocated = await t.ok(`mutation($p: ID!, $l: [String!]!) { allocate(prebookLine: $p, labels: $l) { lines { invoiceNumbers } errors { code } } }`, {
        p: saved.savePrebooks.prebooks[0].lines[0].id,
        l: [label],
      });
      const [number] = allocated.allocate.lines[0].invoiceNumbers;
      const scan = (await t.ok(SCAN, { l: [label], k: 'OUTBOUND' })).scanBoxes.results[0];
      expect(scan).toMatchObject({ outcome: 'SCANNED', box: { status: 'INVOICED' } });
      expect(scan.shippingLabel).toBe(`Armellini / FreshMart Supermarkets / ${number} / ${label}`);
      expect(
        await sql(`select i.number from shipping_label s join box b on b.id = s.box_id join invoice i on i.id = s.invoice_id where b.label = '${label}'`),
      ).toEqual([{ number }]);
    });
  });

  describe('4. "today" is the company\'s date in Settings.timeZone', () => {
    it('decides TRUCK_DATE_PASSED by the local date, not the UTC one', async () => {
      // A zone whose date differs from UTC's right now: Pago Pago (UTC-11) is a day behind before 11:00 UTC,
      // Kiritimati (UTC+14) a day ahead from 10:00 UTC.
      const utc = new Date().toISOString().slice(0, 10);
      const local = (zone: string) =>
        new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
      const zone = local('Pacific/Pago_Pago') !== utc ? 'Pacific/Pago_Pago' : 'Pacific/Kiritimati';
      const today = local(zone);
      expect(today).not.toBe(utc);
      const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      await setSettings(t, { timeZone: zone, delayDaysAllowed: 0 });
      try {
        const onTime = await prebookInStaging(t, { customer: 'FRESHMART', truckDate: today, lines: [roses(1)] });
        const tooLate = await prebookInStaging(t, { customer: 'FRESHMART', truckDate: yesterday, lines: [roses(1)] });
        const [a] = await confirm(t, onTime.labels);
        const [b] = await confirm(t, tooLate.labels);
        expect(a.billing!.issue).toBeNull();
        expect(a.box!.status).toBe('INVOICED');
        expect(b.billing!.issue!.code).toBe('TRUCK_DATE_PASSED');
        const bill = await t.ok(`{ invoice(number: "${a.billing!.invoiceNumbers[0]}") { invoiceDate } }`);
        expect(bill.invoice.invoiceDate).toBe(today);
      } finally {
        await setSettings(t, { timeZone: 'UTC' });
      }
    });
  });

  describe('5. separations of in-transit/on-hand and holiday apply to items in boxes only', () => {
    it('unit lines of a holiday and a regular prebook share an invoice; boxes by the box do not', async () => {
      const truck = nextTruck();
      const [holiday, regular] = await prebooksInStaging(t, [
        { customer: 'FRESHMART', truckDate: truck, holiday: true, lines: [carnations(500, '0.20')] },
        { customer: 'FRESHMART', truckDate: truck, holiday: false, lines: [carnations(500, '0.20')] },
      ]);
      expect(holiday.labels).toHaveLength(2);
      const results = await confirm(t, holiday.labels);
      expect(new Set(results.flatMap((r) => r.billing!.invoiceNumbers)).size).toBe(1);
      expect([await billed(holiday.number), await billed(regular.number)]).toEqual([[500], [500]]);

      const [boxHoliday] = await prebooksInStaging(t, [
        { customer: 'FRESHMART', truckDate: truck, holiday: true, lines: [roses(1)] },
        { customer: 'FRESHMART', truckDate: truck, holiday: false, lines: [roses(1)] },
      ]);
      const boxes = await confirm(t, boxHoliday.labels);
      expect(new Set(boxes.flatMap((r) => r.billing!.invoiceNumbers)).size).toBe(2);
    });

    it('unit lines in transit and on hand share an invoice; ports of origin still separate them', async () => {
      await setSettings(t, { separateInTransitAndOnHand: true, separateByPortOfOrigin: true });
      const truck = nextTruck();
      const pb = await prebookInStaging(t, { customer: 'BLOOMS', truckDate: truck, lines: [carnations(1000, '0.20')] });
      await t.ok(SCAN, { l: [pb.labels[0]], k: 'INBOUND' });
      const results = await confirm(t, pb.labels);
      expect(new Set(results.flatMap((r) => r.billing!.invoiceNumbers)).size).toBe(1);

      const bog = await prebookInStaging(t, { customer: 'BLOOMS', truckDate: truck, customerPo: 'PORTS', lines: [carnations(500, '0.20')] }, { port: 'BOG' });
      const uio = await prebookInStaging(t, { customer: 'BLOOMS', truckDate: truck, customerPo: 'PORTS', lines: [carnations(500, '0.20')] }, { port: 'UIO' });
      const ports = await confirm(t, [...bog.labels, ...uio.labels]);
      expect(new Set(ports.flatMap((r) => r.billing!.invoiceNumbers)).size).toBe(2);
    });
  });

  describe('6. releaseFulfilled', () => {
    it('applies at confirmation with automatic billing OFF: a box whose line is already billed goes to open market', async () => {
      const pb = await prebookInStaging(t, { customer: 'BLOOMS', truckDate: nextTruck(), lines: [roses(1)] });
      const [stock] = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 1, unitCost: '0.40' });
      const allocated = await t.ok(`mutation($p: ID!, $l: [String!]!) { allocate(prebookLine: $p, labels: $l) { lines { stillNeeded } errors { code } } }`, {
        p: pb.lineIds[0],
        l: [stock],
      });
      expect(allocated.allocate.lines[0].stillNeeded).toBe(0);
      await setSettings(t, { autoBilling: 'OFF' });
      const [result] = await confirm(t, pb.labels);
      expect(result.box).toMatchObject({ status: 'IN_INVENTORY', inventoryType: 'M', customer: null });
      expect(result.billing).toMatchObject({ invoiceNumbers: [], issue: null, releasedUnits: 100 });

      await setSettings(t, { releaseFulfilled: 'KEEP_CUSTOMER' });
      const kept = await prebookInStaging(t, { customer: 'BLOOMS', truckDate: nextTruck(), lines: [roses(1)] });
      await setSettings(t, { autoBilling: 'ON_MANUAL_CONFIRMATION' });
      const [stock2] = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 1, unitCost: '0.40' });
      await t.ok(`mutation($p: ID!, $l: [String!]!) { allocate(prebookLine: $p, labels: $l) { errors { code } } }`, { p: kept.lineIds[0], l: [stock2] });
      await setSettings(t, { autoBilling: 'OFF' });
      const [keptResult] = await confirm(t, kept.labels);
      expect(keptResult.box).toMatchObject({ status: 'IN_INVENTORY', inventoryType: 'P', customer: { code: 'BLOOMS' } });
    });
  });

  describe('7. invoice line boxes', () => {
    it('a 750-unit line taken from two boxes shows 2 boxes', async () => {
      const pb = await prebookInStaging(t, { customer: 'FRESHMART', truckDate: nextTruck(), lines: [carnations(750, '0.20')] });
      expect(pb.labels).toHaveLength(2);
      const results = await confirm(t, pb.labels);
      const bill = await invoice(t, results[0].billing!.invoiceNumbers[0]);
      expect(bill.lines).toMatchObject([{ units: 750, boxes: 2 }]);
    });
  });
});
