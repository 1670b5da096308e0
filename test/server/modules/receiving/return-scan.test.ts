import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { stockBoxes } from '../../../support/receiving';
import { startTestServer, type TestServer } from '../../../support/test-server';
import { returnOutcome } from '../../../../server/src/modules/receiving/return-scan.service';

/*
 * A RETURN scan records that an invoiced box that left the warehouse came back: it is in the warehouse again
 * (shippedOutAt cleared), with when, by whom and why, and a credit can then return its units to stock. It never
 * changes billing. Every label gets its own outcome; nothing aborts the others.
 */

const SCAN = `mutation($labels: [String!]!, $kind: ScanKind!, $reason: String) {
  scanBoxes(labels: $labels, kind: $kind, reason: $reason) { results { label outcome message box { status shippedOutAt returnedAt returnedBy returnReason } } }
}`;
const REQUEST = `mutation($input: RequestCreditInput!) { requestCredit(input: $input) { credit { number status } errors { code message field } } }`;
const APPROVE = `mutation($number: String!) { approveCredit(number: $number) { credit { number status } errors { code message field } } }`;
const REPORT = `{ gpmReport { revenue cost restockedCost margin } }`;
const INVOICE = `query($n: String!) { invoice(number: $n) { status total openAmount lines { units amount } } }`;

describe('returnOutcome', () => {
  const at = new Date('2027-02-10T15:00:00Z');
  it('brings back only an invoiced box that left, and says what to do with every other box', () => {
    expect(returnOutcome('B1', null)).toEqual({ outcome: 'UNKNOWN_LABEL', message: 'no box B1' });
    expect(returnOutcome('B1', { status: 'INVOICED', shipped_out_at: at, returned_at: null }).outcome).toBe('SCANNED');
    expect(returnOutcome('B1', { status: 'INVOICED', shipped_out_at: null, returned_at: at })).toEqual({
      outcome: 'ALREADY_SCANNED',
      message: 'B1 was already brought back (2027-02-10T15:00:00.000Z): nothing changed',
    });
    expect(returnOutcome('B1', { status: 'INVOICED', shipped_out_at: null, returned_at: null }).outcome).toBe('NEVER_LEFT');
    expect(returnOutcome('B1', { status: 'IN_INVENTORY', shipped_out_at: at, returned_at: null }).outcome).toBe('NOT_INVOICED');
    expect(returnOutcome('B1', { status: 'STAGED', shipped_out_at: null, returned_at: null }).message).toContain('receive it with an INBOUND scan');
    expect(returnOutcome('B1', { status: 'VOID', shipped_out_at: at, returned_at: null }).outcome).toBe('VOID_BOX');
  });
});

describe('return scans', () => {
  let t: TestServer;
  let roses: string[];
  let spare: string[];
  let staged: string[];
  let warehouse: string;
  let invoice: { number: string; lineId: string };

  const scan = async (labels: string[], kind: string, reason?: string, token?: string) =>
    (await t.ok(SCAN, { labels, kind, reason: reason ?? null }, token)).scanBoxes.results;

  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    roses = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 4, unitCost: '0.40' });
    spare = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 1, unitCost: '0.40' });
    staged = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 1, unitCost: '0.40', confirm: false });
    // 4 boxes × 100 stems × 0.80 = 320.00, at a landed cost of 0.40 a stem: cost 160.00.
    const created = await t.ok(`mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number lines { id } } } }`, {
      input: { customer: 'BLOOMS', truckDate: '2027-02-10', lines: [{ labels: roses, unitPrice: '0.80' }] },
    });
    invoice = { number: created.createInvoice.invoice.number, lineId: created.createInvoice.invoice.lines[0].id };
    await t.ok(`mutation { confirmInvoice(number: "${invoice.number}") { errors { code } } }`);
    warehouse = (await t.ok(`mutation { createApiToken(input: { name: "dock", role: "WAREHOUSE" }) { secret } }`)).createApiToken.secret;
  });
  afterAll(() => t?.close());

  it('refuses a restock of a box that left, accepts it once the box is return-scanned: a new open-market box at 0.40, cost 160.00 → 120.00', async () => {
    await scan(roses, 'OUTBOUND');
    const input = { invoice: invoice.number, reason: 'DAMAGED', lines: [{ kind: 'QUANTITY', invoiceLine: invoice.lineId, units: 100, restock: true }] };
    const refused = (await t.ok(REQUEST, { input })).requestCredit;
    expect(refused.credit).toBeNull();
    expect(refused.errors).toEqual([
      {
        code: 'RESTOCK_NOT_ALLOWED',
        field: 'lines.1.restock',
        message: expect.stringContaining('or record boxes that came back with a RETURN scan (scanBoxes) first'),
      },
    ]);
    // Written off instead (no restock), it would stay a pending credit: the same lines with restock are asked again below.
    const before = (await t.ok(INVOICE, { n: invoice.number })).invoice;

    const back = await scan([roses[3]], 'RETURN', 'refused at the door', warehouse);
    expect(back).toEqual([
      {
        label: roses[3],
        outcome: 'SCANNED',
        message: `${roses[3]} brought back: in the warehouse again, still on ${invoice.number} as billed; a credit with restock returns its units to stock`,
        box: {
          status: 'INVOICED',
          shippedOutAt: null,
          returnedAt: expect.any(String),
          returnedBy: expect.stringMatching(/^dock/),
          returnReason: 'refused at the door',
        },
      },
    ]);
    // Billing is unchanged by the scan: the invoice stays as billed.
    expect((await t.ok(INVOICE, { n: invoice.number })).invoice).toEqual(before);
    expect(before).toMatchObject({ status: 'CONFIRMED', total: '320.00', openAmount: '320.00' });

    const requested = (await t.ok(REQUEST, { input })).requestCredit;
    expect(requested.errors).toEqual([]);
    expect((await t.ok(APPROVE, { number: requested.credit.number })).approveCredit).toEqual({
      credit: { number: requested.credit.number, status: 'APPROVED' },
      errors: [],
    });
    const restocked = await t.orm.em
      .fork()
      .execute<Array<{ units: number; status: string; inventory_type: string; landed_unit_cost: string; from: string; customer_id: number | null }>>(
        `select b.units, b.status, b.inventory_type, b.landed_unit_cost::text as landed_unit_cost, o.label as from, b.customer_id from box b join box o on o.id = b.restock_of_id`,
      );
    expect(restocked).toEqual([{ units: 100, status: 'IN_INVENTORY', inventory_type: 'M', landed_unit_cost: '0.4000', from: roses[3], customer_id: null }]);
    expect((await t.ok(REPORT)).gpmReport).toEqual({ revenue: '240.00', cost: '120.00', restockedCost: '40.00', margin: '120.00' });
    expect((await t.ok(INVOICE, { n: invoice.number })).invoice).toMatchObject({ total: '320.00', openAmount: '240.00' });
  });

  it('answers every other label on its own: repeated, never left, not invoiced, staged, void, unknown; the audit records who and why', async () => {
    // A box invoiced but never scanned out.
    const [kept] = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 1, unitCost: '0.40' });
    await t.ok(`mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number } } }`, {
      input: { customer: 'BLOOMS', truckDate: '2027-02-11', lines: [{ labels: [kept], unitPrice: '0.80' }] },
    });
    const boxChanges = async (label: string) =>
      Number((await t.orm.em.fork().execute<Array<{ n: string }>>(`select count(*) as n from change_event where type = 'BOX' and key = ?`, [label]))[0].n);
    const changesBefore = await boxChanges(roses[2]);
    const results = await scan([kept, roses[3], roses[2], roses[2], spare[0], staged[0], 'NO-SUCH', roses[3]], 'RETURN', undefined, warehouse);
    expect(results.shift()).toMatchObject({ label: kept, outcome: 'NEVER_LEFT', box: { status: 'INVOICED', returnedAt: null } });
    expect(results.map((r: { label: string; outcome: string }) => [r.label, r.outcome])).toEqual([
      [roses[3], 'ALREADY_SCANNED'],
      [roses[2], 'SCANNED'],
      [roses[2], 'ALREADY_SCANNED'],
      [spare[0], 'NOT_INVOICED'],
      [staged[0], 'STILL_STAGED'],
      ['NO-SUCH', 'UNKNOWN_LABEL'],
      [roses[3], 'ALREADY_SCANNED'],
    ]);
    for (const r of results) expect(r.message).toContain(r.label);
    // The first return of roses[3] keeps its reason; roses[2] came back with none.
    expect(results[0].box).toMatchObject({ returnReason: 'refused at the door', shippedOutAt: null });
    expect(results[1].box).toMatchObject({ returnReason: null, shippedOutAt: null });
    const audit = await t.orm.em
      .fork()
      .execute<Array<{ actor: string; payload: unknown }>>(`select actor, payload from audit_event where action = 'scan-return' order by id`);
    // The change feed carries the box brought back.
    expect(await boxChanges(roses[2])).toBe(changesBefore + 1);
    expect(audit).toEqual([
      { actor: expect.stringMatching(/^dock/), payload: { boxes: [{ label: roses[3], invoice: invoice.number }], reason: 'refused at the door' } },
      { actor: expect.stringMatching(/^dock/), payload: { boxes: [{ label: roses[2], invoice: invoice.number }], reason: null } },
    ]);

    // Shipped again, it can come back again; a box never scanned out has nothing to bring back.
    const again = await t.ok(`mutation($l: [String!]!) { scanBoxes(labels: $l, kind: OUTBOUND) { results { outcome shippingLabel } } }`, { l: [roses[2]] });
    expect(again.scanBoxes.results).toEqual([{ outcome: 'SCANNED', shippingLabel: expect.stringContaining(invoice.number) }]);
    expect((await scan([roses[2]], 'RETURN')).map((r: { outcome: string }) => r.outcome)).toEqual(['SCANNED']);
    const dumped = await t.ok(
      `mutation($l: String!) { adjustInventory(input: [{ label: $l, countedUnits: 0, reason: "DUMP" }]) { errors { code message } } }`,
      {
        l: spare[0],
      },
    );
    expect(dumped.adjustInventory.errors).toEqual([]);
    expect((await scan([spare[0]], 'RETURN')).map((r: { outcome: string }) => r.outcome)).toEqual(['VOID_BOX']);
  });

  it('two scanners returning the same box at once: one brings it back, the other is told it already came back', async () => {
    const both = await Promise.all([scan([roses[0]], 'RETURN', 'first'), scan([roses[0]], 'RETURN', 'second')]);
    expect(both.map((results) => results[0].outcome).sort()).toEqual(['ALREADY_SCANNED', 'SCANNED']);
    const audit = await t.orm.em
      .fork()
      .execute<Array<{ n: string }>>(`select count(*) as n from audit_event where action = 'scan-return' and payload->'boxes'->0->>'label' = ?`, [roses[0]]);
    expect(Number(audit[0].n)).toBe(1);
  });

  it('refuses a reason on an inbound or outbound scan', async () => {
    const refused = await t.gql(SCAN, { labels: [roses[0]], kind: 'OUTBOUND', reason: 'oops' });
    expect(refused.errors?.[0]).toMatchObject({
      message: 'scanBoxes.reason is for RETURN scans only: leave it out of an OUTBOUND scan',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});
