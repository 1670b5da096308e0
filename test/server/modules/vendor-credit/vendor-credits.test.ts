import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { stockBoxes } from '../../../support/receiving';
import { startTestServer, type TestServer } from '../../../support/test-server';
import { claimAmounts, splitUnitCost } from '../../../../server/src/modules/vendor-credit/vendor-credit-split';

const DRAFT = `suggestions { vendor { code } source sourceCredit { number } reason { code } total
  lines { boxLabel purchaseOrderNumber poLine invoiceLine units landedUnitCost productAmount freightAmount dutyAmount handlingAmount amount } }
  errors { code message field }`;
const SUGGEST = `query($input: SuggestVendorCreditInput!) { suggestVendorCredit(input: $input) { ${DRAFT} } }`;
const CLAIM = `number status source vendor { code } sourceCredit { number } reason { code } total statusNote claimSheetUrl version
  lines { lineNo boxLabel units productAmount freightAmount dutyAmount handlingAmount amount invoiceLine { id } }`;
const SAVE = `mutation($input: SaveVendorCreditInput!, $key: String) { saveVendorCredit(input: $input, idempotencyKey: $key) { vendorCredit { ${CLAIM} } errors { code message field } } }`;
const STATUS = `mutation($number: String!, $status: VendorCreditStatus!, $note: String) {
  setVendorCreditStatus(number: $number, status: $status, note: $note) { vendorCredit { number status statusNote } errors { code message field } } }`;
const REPORT = `{ gpmReport { revenue cost costRecovered margin rows { cost costRecovered } } }`;

async function token(t: TestServer, role: string, customer?: string): Promise<string> {
  const data = await t.ok(`mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret } }`, {
    input: { name: `${role} ${customer ?? ''}`.trim(), role, customer: customer ?? null },
  });
  return data.createApiToken.secret;
}

describe('splitting a landed cost', () => {
  it('splits 0.50 into 0.40 flower, 0.08 freight and 0.02 handling: 100 stems claim 40.00 / 8.00 / 2.00', () => {
    const split = splitUnitCost({ landedUnitCost: '0.50', vendorUnitCost: '0.40', dutyPercent: '0', boxFreight: 8_0000n, boxUnits: 100 });
    expect(split).toEqual({ product: 4000n, duty: 0n, freight: 800n, handling: 200n });
    expect(claimAmounts(split, 100)).toEqual({ productAmount: '40.00', freightAmount: '8.00', dutyAmount: '0.00', handlingAmount: '2.00', amount: '50.00' });
  });

  it('takes duty on the vendor cost, never splits more than the landed cost, and rounds each part to cents', () => {
    const split = splitUnitCost({ landedUnitCost: '0.45', vendorUnitCost: '0.40', dutyPercent: '6.8', boxFreight: 8_0000n, boxUnits: 100 });
    expect(split).toEqual({ product: 4000n, duty: 272n, freight: 228n, handling: 0n });
    expect(claimAmounts(split, 33)).toEqual({ productAmount: '13.20', freightAmount: '0.75', dutyAmount: '0.90', handlingAmount: '0.00', amount: '14.85' });
  });
});

describe('farm claims', () => {
  let t: TestServer;
  let roses: string[];
  let invoice: { number: string; lineId: string };
  let sales: string;
  let accounting: string;
  let blooms: string;

  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    roses = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 4, unitCost: '0.40' });
    // The air waybill's real freight, 32.00 over 4 like boxes, is 8.00 a box (0.08 a stem); the true-up put
    // 0.02 a stem of handling on top: landed 0.50 = 0.40 flower + 0.08 freight + 0.02 handling.
    const em = t.orm.em.fork();
    await em.execute(`update shipment set freight = 32 where id = (select shipment_id from box where label = ?)`, [roses[0]]);
    await em.execute(`update box set landed_unit_cost = 0.50 where label = any(?::text[])`, [`{${roses.join(',')}}`]);
    const created = await t.ok(`mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number lines { id } } } }`, {
      input: { customer: 'BLOOMS', truckDate: '2027-02-10', lines: [{ labels: roses, unitPrice: '0.80' }] },
    });
    invoice = { number: created.createInvoice.invoice.number, lineId: created.createInvoice.invoice.lines[0].id };
    await t.ok(`mutation { confirmInvoice(number: "${invoice.number}") { errors { code } } }`);
    const credit = await t.ok(`mutation($input: RequestCreditInput!) { requestCredit(input: $input) { credit { number } errors { code message } } }`, {
      input: { invoice: invoice.number, reason: 'DAMAGED', lines: [{ kind: 'QUANTITY', invoiceLine: invoice.lineId, units: 100 }] },
    });
    expect(credit.requestCredit.errors).toEqual([]);
    await t.ok(`mutation { approveCredit(number: "CR-000001") { errors { code } } }`);
    sales = await token(t, 'SALES');
    accounting = await token(t, 'ACCOUNTING');
    blooms = await token(t, 'CUSTOMER', 'BLOOMS');
  });
  afterAll(() => t.close());

  it('suggests the farm claim of an approved credit: 100 stems of 0.50 landed are 40.00 / 8.00 / 0.00 / 2.00', async () => {
    const data = await t.ok(SUGGEST, { input: { credit: 'CR-000001' } });
    expect(data.suggestVendorCredit).toEqual({
      suggestions: [
        {
          vendor: { code: 'ROSAS' },
          source: 'CREDIT',
          sourceCredit: { number: 'CR-000001' },
          reason: { code: 'DAMAGED' },
          total: '50.00',
          lines: [
            {
              boxLabel: roses[0],
              purchaseOrderNumber: expect.stringMatching(/^PO-/),
              poLine: 1,
              invoiceLine: invoice.lineId,
              units: 100,
              landedUnitCost: '0.50',
              productAmount: '40.00',
              freightAmount: '8.00',
              dutyAmount: '0.00',
              handlingAmount: '2.00',
              amount: '50.00',
            },
          ],
        },
      ],
      errors: [],
    });
  });

  it('suggests from a quality inspection of received boxes, and names every box it cannot use', async () => {
    const data = await t.ok(SUGGEST, { input: { boxes: [{ label: roses[1], units: 30 }], reason: 'QUALITY' } });
    expect(data.suggestVendorCredit.suggestions[0]).toMatchObject({
      source: 'INSPECTION',
      reason: { code: 'QUALITY' },
      total: '15.00',
      lines: [{ boxLabel: roses[1], units: 30, productAmount: '12.00', freightAmount: '2.40', dutyAmount: '0.00', handlingAmount: '0.60', amount: '15.00' }],
    });
    const bad = await t.ok(SUGGEST, { input: { boxes: [{ label: roses[1], units: 101 }, { label: 'NO-SUCH-BOX' }] } });
    expect(bad.suggestVendorCredit).toEqual({
      suggestions: [],
      errors: [
        { code: 'EXCEEDS_UNITS', field: 'boxes.1.units', message: `${roses[1]} holds 100 units; 101 asked` },
        { code: 'UNKNOWN_BOX', field: 'boxes.2.label', message: 'no box NO-SUCH-BOX' },
      ],
    });
    const neither = await t.ok(SUGGEST, { input: {} });
    expect(neither.suggestVendorCredit.errors).toEqual([{ code: 'REQUIRED', field: 'credit', message: expect.stringContaining('exactly one of credit') }]);
  });

  it('saves the claim VC-000001 (once per idempotency key) and refuses claiming a box twice', async () => {
    const input = { credit: 'CR-000001', reason: 'DAMAGED', notes: 'bruised on arrival', lines: [{ box: roses[0], units: 100, invoiceLine: invoice.lineId }] };
    const first = await t.ok(SAVE, { input, key: 'vc-1' }, accounting);
    const again = await t.ok(SAVE, { input, key: 'vc-1' }, accounting);
    expect(first.saveVendorCredit).toEqual(again.saveVendorCredit);
    expect(first.saveVendorCredit).toEqual({
      vendorCredit: {
        number: 'VC-000001',
        status: 'PENDING',
        source: 'CREDIT',
        vendor: { code: 'ROSAS' },
        sourceCredit: { number: 'CR-000001' },
        reason: { code: 'DAMAGED' },
        total: '50.00',
        statusNote: null,
        claimSheetUrl: '/documents/farm-claims/VC-000001',
        version: 1,
        lines: [
          {
            lineNo: 1,
            boxLabel: roses[0],
            units: 100,
            productAmount: '40.00',
            freightAmount: '8.00',
            dutyAmount: '0.00',
            handlingAmount: '2.00',
            amount: '50.00',
            invoiceLine: { id: invoice.lineId },
          },
        ],
      },
      errors: [],
    });
    const twice = await t.ok(SAVE, { input: { reason: 'DAMAGED', lines: [{ box: roses[0], units: 1 }] } });
    expect(twice.saveVendorCredit).toEqual({
      vendorCredit: null,
      errors: [{ code: 'EXCEEDS_UNITS', field: 'lines.1.units', message: `line 1: ${roses[0]} has 0 of its 100 units left to claim; 1 asked` }],
    });
    const typed = await t.ok(SAVE, {
      input: { reason: 'SHORT', lines: [{ box: roses[2], units: 10, productAmount: '4.00', freightAmount: '0', dutyAmount: '0', handlingAmount: '0.25' }] },
    });
    expect(typed.saveVendorCredit.vendorCredit).toMatchObject({ number: 'VC-000002', source: 'MANUAL', total: '4.25' });
    const half = await t.ok(SAVE, { input: { reason: 'SHORT', lines: [{ box: roses[2], units: 10, productAmount: '4.00' }] } });
    expect(half.saveVendorCredit.errors).toEqual([{ code: 'REQUIRED', field: 'lines.1.productAmount', message: expect.stringContaining('all four amounts') }]);
  });

  it('lowers the cost of goods of the credited line once the farm ACCEPTS: 200.00 → 150.00', async () => {
    expect((await t.ok(REPORT)).gpmReport).toMatchObject({ revenue: '240.00', cost: '200.00', costRecovered: '0.00', margin: '40.00' });
    expect((await t.ok(STATUS, { number: 'VC-000001', status: 'SENT' }, accounting)).setVendorCreditStatus.errors).toEqual([]);
    expect((await t.ok(REPORT)).gpmReport.cost).toBe('200.00');
    const accepted = await t.ok(STATUS, { number: 'VC-000001', status: 'ACCEPTED', note: 'credit note 4471' });
    expect(accepted.setVendorCreditStatus).toEqual({ vendorCredit: { number: 'VC-000001', status: 'ACCEPTED', statusNote: 'credit note 4471' }, errors: [] });
    const { gpmReport } = await t.ok(REPORT);
    expect(gpmReport).toEqual({
      revenue: '240.00',
      cost: '150.00',
      costRecovered: '50.00',
      margin: '90.00',
      rows: [{ cost: '150.00', costRecovered: '50.00' }],
    });
    const final = await t.ok(STATUS, { number: 'VC-000001', status: 'REJECTED' });
    expect(final.setVendorCreditStatus.errors).toEqual([{ code: 'INVALID_STATUS', field: 'status', message: 'VC-000001 is ACCEPTED: its status is final' }]);
    const changed = await t.ok(SAVE, { input: { number: 'VC-000001', notes: 'x' } });
    expect(changed.saveVendorCredit.errors).toEqual([
      { code: 'INVALID_STATUS', field: 'number', message: 'VC-000001 is ACCEPTED: only a PENDING claim changes' },
    ]);
    const audit = await t.orm.em.fork().execute<Array<{ action: string }>>(`select action from audit_event where entity = 'VendorCredit' order by id`);
    expect(audit.map((e) => e.action)).toEqual(['create', 'create', 'sent', 'accepted']);
  });

  it('lets SALES read farm claims but not write them, and keeps them from a CUSTOMER token', async () => {
    const read = await t.ok(`{ vendorCredits(filter: { vendor: "ROSAS", status: ACCEPTED }) { totalCount nodes { number } } }`, undefined, sales);
    expect(read.vendorCredits).toEqual({ totalCount: 1, nodes: [{ number: 'VC-000001' }] });
    const write = await t.gql(SAVE, { input: { reason: 'DAMAGED', lines: [{ box: roses[3], units: 1 }] } }, sales);
    expect(write.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const customer = await t.gql(`{ vendorCredit(number: "VC-000001") { number } }`, undefined, blooms);
    expect(customer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('carries credits and farm claims in the change feed; a CUSTOMER follows its own credits and never sees a farm claim', async () => {
    const FEED = `query($types: [ChangeType!]) { changes(types: $types, first: 500) { nodes { type key change credit { number total lines { amount } } } } }`;
    const staff = (await t.ok(`{ changes(types: [CREDIT, VENDOR_CREDIT], first: 500) { nodes { type key change vendorCredit { number status } } } }`)).changes
      .nodes;
    expect(staff).toEqual(
      expect.arrayContaining([
        { type: 'CREDIT', key: 'CR-000001', change: 'CREATED', vendorCredit: null },
        { type: 'VENDOR_CREDIT', key: 'VC-000001', change: 'CREATED', vendorCredit: { number: 'VC-000001', status: 'ACCEPTED' } },
        { type: 'VENDOR_CREDIT', key: 'VC-000001', change: 'UPDATED', vendorCredit: { number: 'VC-000001', status: 'ACCEPTED' } },
      ]),
    );
    const own = (await t.ok(FEED, { types: null }, blooms)).changes.nodes;
    const types = [...new Set(own.map((n: { type: string }) => n.type))].sort();
    expect(types).toEqual(['CREDIT', 'INVOICE']);
    expect(own.filter((n: { type: string }) => n.type === 'CREDIT')).toEqual([
      { type: 'CREDIT', key: 'CR-000001', change: 'CREATED', credit: { number: 'CR-000001', total: '80.00', lines: [{ amount: '80.00' }] } },
      { type: 'CREDIT', key: 'CR-000001', change: 'UPDATED', credit: { number: 'CR-000001', total: '80.00', lines: [{ amount: '80.00' }] } },
    ]);
    const asked = (await t.ok(FEED, { types: ['VENDOR_CREDIT'] }, blooms)).changes.nodes;
    expect(asked).toEqual([]);
    const cost = await t.gql(`{ changes(types: [CREDIT]) { nodes { credit { lines { invoiceLine { unitCost } } } } } }`, undefined, blooms);
    expect(cost.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('prints the claim sheet for the farm as a PDF, for staff only', async () => {
    const get = (path: string, secret: string) => fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${secret}` } });
    const pdf = await get('/documents/farm-claims/VC-000001', t.adminToken);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    if (process.env.FARM_CLAIM_PDF) (await import('node:fs')).writeFileSync(process.env.FARM_CLAIM_PDF, bytes);
    expect((await get('/documents/farm-claims/VC-999999', t.adminToken)).status).toBe(404);
    expect((await get('/documents/farm-claims/VC-000001', blooms)).status).toBe(403);
  });
});
