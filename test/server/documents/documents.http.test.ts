import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BOXES_PER_DOCUMENT } from '../../../server/src/documents/documents.service';
import { isoDate, prebookInStaging, setSettings, confirm } from '../../support/billing';
import { pdfBarcodes, pdfPages, parseZpl } from '../../support/documents';
import { propertyOptions } from '../../support/property';
import { seedCatalogue } from '../../support/fixtures';
import { stockBoxes } from '../../support/receiving';
import { startTestServer, type TestServer } from '../../support/test-server';

let t: TestServer;
let presold: string[];
let presoldPo: string;
let openMarket: string[];
let invoiceNumber: string;
let warehouseToken: string;
let customerToken: string;

async function get(path: string, token: string | null = t.adminToken, init: RequestInit = {}) {
  const headers: Record<string, string> = { ...((init.headers as Record<string, string>) ?? {}) };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${t.url}${path}`, { ...init, headers });
  const body = Buffer.from(await response.arrayBuffer());
  return { status: response.status, type: response.headers.get('content-type') ?? '', body, json: () => JSON.parse(body.toString('utf8')) };
}

async function pdf(path: string, token?: string) {
  const response = await get(path, token);
  expect(response.status, response.body.toString('utf8').slice(0, 300)).toBe(200);
  expect(response.type).toBe('application/pdf');
  return response.body;
}

/** The text of each page, as pdftotext reads it (pages split on form feeds). */
function pageTexts(body: Buffer): string[] {
  const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: body, encoding: 'utf8' });
  return text.split('\f').slice(0, -1);
}

beforeAll(async () => {
  t = await startTestServer();
  await seedCatalogue(t);
  await setSettings(t, {
    companyName: 'Miami Flower Wholesale LLC',
    companyAddress: '7200 NW 25th St\nMiami, FL 33122',
    companyPhone: '+1 305 555 0100',
    companyTaxId: '59-1234567',
  });
  await t.ok(`mutation { upsertCustomers(input: [{ code: "FRESHMART", name: "FreshMart Supermarkets", billingAddress: "PO Box 1\\nLakeland, FL 33802",
    shipTos: [{ code: "DC-ATL", name: "Atlanta DC", address: "1200 Distribution Way\\nAtlanta, GA 30336" }] }]) { errors { message } } }`);
  const staged = await prebookInStaging(t, {
    customer: 'FRESHMART',
    shipTo: 'DC-ATL',
    truckDate: isoDate(3),
    customerPo: 'FM-7781',
    lines: [{ product: 'ROSE-FREEDOM-50', boxes: 3, unitsPerBox: 100, price: '0.85', cost: '0.50' }],
  });
  presold = staged.labels;
  presoldPo = (await t.ok(`query($l: String!) { box(label: $l) { purchaseOrderNumber } }`, { l: presold[0] })).box.purchaseOrderNumber;
  openMarket = await stockBoxes(t, { product: 'CARN-WHITE', boxes: 2, unitCost: '0.10', vendor: 'FLORES-EC', confirm: false });
  warehouseToken = (await t.ok(`mutation { createApiToken(input: { name: "dock", role: "WAREHOUSE" }) { secret } }`)).createApiToken.secret;
  customerToken = (await t.ok(`mutation { createApiToken(input: { name: "fm", role: "CUSTOMER", customer: "FRESHMART" }) { secret } }`)).createApiToken.secret;
});

afterAll(async () => {
  await t?.close();
});

describe('box labels', () => {
  it('prints one 4x6 in page per box of a PO, each barcode decoding to its label, with what a clerk reads', async () => {
    const body = await pdf(`/documents/box-labels?purchaseOrder=${presoldPo}`, warehouseToken);
    expect(pdfBarcodes(body)).toEqual(presold.map((label) => [`CODE-128:${label}`]));
    const size = execFileSync('pdfinfo', ['-'], { input: body, encoding: 'utf8' });
    expect(size).toMatch(/Page size:\s+288 x 432 pts/);
    const texts = pageTexts(body);
    expect(texts).toHaveLength(3);
    texts.forEach((text, index) => {
      for (const expected of [
        presold[index],
        'Rose Freedom 50cm',
        'ROSE-FREEDOM-50',
        'QB',
        '100 STEMS',
        'Rosas de la Sabana',
        presoldPo,
        'PRESOLD: FreshMart Supermarkets',
        isoDate(3),
        'PB-',
      ]) {
        expect(text, `page ${index + 1}`).toContain(expected);
      }
    });
  });

  it('selects by list of labels (in the order given), by PO link, and by staging filter (GET or POSTed)', async () => {
    const listed = [openMarket[1], presold[0]];
    expect(pdfBarcodes(await pdf(`/documents/box-labels?labels=${listed.join(',')}`))).toEqual(listed.map((l) => [`CODE-128:${l}`]));
    const box = await t.ok(`query($l: String!) { box(label: $l) { labelsUrl zpl: labelsUrl(format: ZPL) } }`, { l: openMarket[0] });
    expect(box.box.labelsUrl).toBe(`/documents/box-labels?labels=${openMarket[0]}`);
    expect(pdfBarcodes(await pdf(box.box.labelsUrl))).toEqual([[`CODE-128:${openMarket[0]}`]]);
    expect(pageTexts(await pdf(box.box.labelsUrl))[0]).toContain('OPEN MARKET');

    const po = await t.ok(`query { purchaseOrders(filter: { vendor: "FLORES-EC" }) { nodes { labelsUrl } } }`);
    expect(pdfBarcodes(await pdf(po.purchaseOrders.nodes[0].labelsUrl))).toEqual(openMarket.map((l) => [`CODE-128:${l}`]));

    const staged = await pdf('/documents/box-labels?staging=true&vendor=FLORES-EC');
    expect(pdfBarcodes(staged)).toEqual(openMarket.map((l) => [`CODE-128:${l}`]));
    const posted = await get('/documents/box-labels', t.adminToken, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ staging: { vendor: 'ROSAS' } }),
    });
    expect(posted.status).toBe(200);
    expect(pdfBarcodes(posted.body)).toEqual(presold.map((l) => [`CODE-128:${l}`]));
  });

  it('links a shipment to its labels', async () => {
    const data = await t.ok(`mutation($input: [PurchaseOrderInput!]!) { savePurchaseOrders(input: $input) { purchaseOrders { number lines { id } } } }`, {
      input: [{ vendor: 'ROSAS', location: 'MIA', shipDate: '2027-02-01', lines: [{ product: 'VASE-20', boxes: 2, unitCost: '1.00' }] }],
    });
    const { number, lines } = data.savePurchaseOrders.purchaseOrders[0];
    const longLabel = 'FARM-2027-0000012345-ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const shipped = await t.ok(`mutation($input: ShipPurchaseOrderInput!) { shipPurchaseOrder(input: $input) { shipment { labelsUrl } } }`, {
      input: { purchaseOrder: number, awb: '729-12345675', lines: [{ poLine: lines[0].id, boxes: 2, labels: ['V^1~_x', longLabel] }] },
    });
    // A vendor's label with ZPL control characters and a long one still print and scan.
    const body = await pdf(shipped.shipPurchaseOrder.shipment.labelsUrl);
    expect(pdfBarcodes(body, 200)).toEqual([['CODE-128:V^1~_x'], [`CODE-128:${longLabel}`]]);
    const zpl = parseZpl((await get(`${shipped.shipPurchaseOrder.shipment.labelsUrl}&format=zpl`)).body.toString('utf8'));
    expect(zpl.map((label) => label.code128)).toEqual([['V^1~_x'], [longLabel]]);
  });

  it('prints ZPL: one ^XA...^XZ label per box, the label in its ^BC field, 4x6 in at 203 dpi', async () => {
    const response = await get(`/documents/box-labels?purchaseOrder=${presoldPo}&format=zpl`, warehouseToken);
    expect(response.status).toBe(200);
    expect(response.type).toMatch(/^text\/plain/);
    const labels = parseZpl(response.body.toString('utf8'));
    expect(labels).toHaveLength(presold.length);
    labels.forEach((label, index) => {
      expect(label.code128).toEqual([presold[index]]);
      expect(label.commands).toEqual(expect.arrayContaining(['^PW812', '^LL1218', '^CI28']));
      for (const expected of [presold[index], 'Rose Freedom 50cm', 'ROSE-FREEDOM-50', 'Rosas de la Sabana', presoldPo, 'PRESOLD: FreshMart Supermarkets']) {
        expect(label.texts).toContain(expected);
      }
    });
  });
});

describe('shipping labels and pick tickets', () => {
  beforeAll(async () => {
    const results = await confirm(t, presold);
    invoiceNumber = results[0].billing!.invoiceNumbers[0];
    expect(results.map((r) => r.billing?.invoiceNumbers[0])).toEqual(presold.map(() => invoiceNumber));
  });

  it('prints an invoice shipping labels: seller, carrier, ship-to, invoice, customer PO, box N of M and the barcode', async () => {
    const data = await t.ok(`query($n: String!) { invoice(number: $n) { labelsUrl zpl: labelsUrl(format: ZPL) pickTicketUrl } }`, { n: invoiceNumber });
    expect(data.invoice.labelsUrl).toBe(`/documents/shipping-labels?invoice=${invoiceNumber}`);
    const body = await pdf(data.invoice.labelsUrl, warehouseToken);
    expect(pdfBarcodes(body)).toEqual(presold.map((l) => [`CODE-128:${l}`]));
    pageTexts(body).forEach((text, index) => {
      for (const expected of [
        'Miami Flower Wholesale LLC',
        '7200 NW 25th St',
        'Tax ID 59-1234567',
        'Armellini',
        'FreshMart Supermarkets',
        'Atlanta DC',
        '1200 Distribution Way',
        'Atlanta, GA 30336',
        invoiceNumber,
        'FM-7781',
        isoDate(3),
        `${index + 1} of 3`,
        presold[index],
      ]) {
        expect(text, `page ${index + 1}`).toContain(expected);
      }
    });
    const zpl = parseZpl((await get(data.invoice.zpl)).body.toString('utf8'));
    expect(zpl.map((label) => label.code128)).toEqual(presold.map((l) => [l]));
    expect(zpl.map((label) => label.texts.find((text) => text.startsWith('BOX ')))).toEqual(['BOX 1 OF 3', 'BOX 2 OF 3', 'BOX 3 OF 3']);
  });

  it('still prints a billed box label as presold, with its prebook and truck date', async () => {
    const prebook = (await t.ok(`query($l: String!) { box(label: $l) { status prebookNumber } }`, { l: presold[0] })).box;
    expect(prebook.status).toBe('INVOICED');
    const [text] = pageTexts(await pdf(`/documents/box-labels?labels=${presold[0]}`));
    for (const expected of ['PRESOLD: FreshMart Supermarkets', prebook.prebookNumber, isoDate(3)]) expect(text).toContain(expected);
  });

  it('reprints one shipping label by box label, numbered within its invoice', async () => {
    const box = await t.ok(`query($l: String!) { box(label: $l) { shippingLabelUrl } }`, { l: presold[1] });
    const body = await pdf(box.box.shippingLabelUrl);
    expect(pdfBarcodes(body)).toEqual([[`CODE-128:${presold[1]}`]]);
    expect(pageTexts(body)[0]).toContain('2 of 3');
    // A box on no invoice has no shipping label.
    expect((await t.ok(`query($l: String!) { box(label: $l) { shippingLabelUrl } }`, { l: openMarket[0] })).box.shippingLabelUrl).toBeNull();
    const refused = await get(`/documents/shipping-labels?labels=${openMarket[0]}`);
    expect(refused.status).toBe(409);
    expect(refused.json().error).toContain(openMarket[0]);
  });

  it('printPickTicket marks the ticket printed and links its PDF: boxes by location, barcodes, units, a tick box', async () => {
    const printed = await t.ok(
      `mutation($n: String!) { printPickTicket(number: $n) { pickTicketUrl invoice { pickTicketPrinted } errors { code } } }`,
      { n: invoiceNumber },
      warehouseToken,
    );
    expect(printed.printPickTicket.invoice.pickTicketPrinted).toBe(true);
    expect(printed.printPickTicket.pickTicketUrl).toBe(`/documents/pick-tickets/${invoiceNumber}`);
    const body = await pdf(printed.printPickTicket.pickTicketUrl, warehouseToken);
    expect(pdfBarcodes(body, 200).flat().sort()).toEqual(presold.map((l) => `CODE-128:${l}`).sort());
    const [text] = pageTexts(body);
    for (const expected of ['PICK TICKET', invoiceNumber, 'FreshMart Supermarkets', 'LOCATION MIA', 'Rose Freedom 50cm', 'PICKED', 'Picked by', 'page 1 of 1'])
      expect(text).toContain(expected);
    expect(text.match(/\b100\b/g)?.length).toBeGreaterThanOrEqual(3);
  });
});

describe('outbound scan', () => {
  it('links the shipping label it produced', async () => {
    await setSettings(t, { autoBilling: 'ON_OUTBOUND_SCAN' });
    try {
      const staged = await prebookInStaging(t, {
        customer: 'BLOOMS',
        truckDate: isoDate(2),
        lines: [{ product: 'CARN-WHITE', boxes: 2, unitsPerBox: 500, price: '0.20' }],
      });
      const scan = await t.ok(
        `mutation($l: [String!]!) { scanBoxes(labels: $l, kind: OUTBOUND) { results { label outcome shippingLabelUrl zpl: shippingLabelUrl(format: ZPL) } } }`,
        { l: staged.labels },
        warehouseToken,
      );
      for (const [index, result] of scan.scanBoxes.results.entries()) {
        expect(result.outcome).toBe('SCANNED');
        const body = await pdf(result.shippingLabelUrl, warehouseToken);
        expect(pdfBarcodes(body)).toEqual([[`CODE-128:${staged.labels[index]}`]]);
        expect(pageTexts(body)[0]).toContain(`${index + 1} of 2`);
        expect(parseZpl((await get(result.zpl)).body.toString('utf8'))[0].code128).toEqual([staged.labels[index]]);
      }
    } finally {
      await setSettings(t, { autoBilling: 'ON_MANUAL_CONFIRMATION' });
    }
  });

  it('links the shipping label of a box invoiced before it leaves, and none for a box on no invoice', async () => {
    const scan = await t.ok(
      `mutation($l: [String!]!) { scanBoxes(labels: $l, kind: OUTBOUND) { results { label outcome shippingLabelUrl } } }`,
      { l: [presold[2], openMarket[1], 'NO-SUCH-BOX'] },
      warehouseToken,
    );
    expect(scan.scanBoxes.results.map((r: { outcome: string; shippingLabelUrl: string | null }) => [r.outcome, r.shippingLabelUrl])).toEqual([
      ['SCANNED', `/documents/shipping-labels?labels=${presold[2]}`],
      ['SCANNED', null],
      ['UNKNOWN_LABEL', null],
    ]);
    const body = await pdf(scan.scanBoxes.results[0].shippingLabelUrl, warehouseToken);
    expect(pdfBarcodes(body)).toEqual([[`CODE-128:${presold[2]}`]]);
    expect(pageTexts(body)[0]).toContain('3 of 3');
  });
});

describe('bad input and who may print', () => {
  const expectError = async (path: string, status: number, message: RegExp, init?: RequestInit) => {
    const response = await get(path, t.adminToken, init);
    expect(response.status, path).toBe(status);
    expect(response.type).toMatch(/application\/json/);
    expect(response.json().error).toMatch(message);
  };

  it('answers unknown labels, POs, shipments and invoices with a 4xx that names them', async () => {
    await expectError('/documents/box-labels?labels=B-000001,NOPE-1,NOPE-2', 404, /NOPE-1, NOPE-2/);
    await expectError('/documents/box-labels?purchaseOrder=PO-999999', 404, /No purchase order PO-999999/);
    await expectError('/documents/box-labels?shipment=999999', 404, /No shipment 999999/);
    await expectError('/documents/box-labels?shipment=abc', 404, /No shipment abc/);
    await expectError('/documents/box-labels?staging=true&vendor=NOBODY', 404, /unknown vendor "NOBODY"/);
    await expectError('/documents/box-labels?staging=true&vendor=ROSAS&overdue=true&received=true', 404, /No staged box matches/);
    await expectError('/documents/shipping-labels?invoice=INV-999999', 404, /No invoice INV-999999/);
    await expectError('/documents/pick-tickets/INV-999999', 404, /No invoice INV-999999/);
    await expectError('/documents/nothing-here', 404, /box-labels/);
  });

  it('refuses malformed requests with 400 and says what it takes', async () => {
    await expectError('/documents/box-labels', 400, /exactly one of labels, purchaseOrder, shipment or staging/);
    await expectError(`/documents/box-labels?labels=${presold[0]}&purchaseOrder=${presoldPo}`, 400, /got labels and purchaseOrder/);
    await expectError(`/documents/box-labels?labels=${presold[0]}&format=png`, 400, /format must be pdf or zpl/);
    await expectError(`/documents/box-labels?labels=${presold[0]}&colour=red`, 400, /Unknown parameter colour/);
    await expectError('/documents/box-labels?labels=%00', 400, /NUL/);
    await expectError('/documents/pick-tickets/%00', 400, /NUL/);
    await expectError('/documents/pick-tickets/%E0%A4%A', 400, /URL encoding/);
    await expectError('/documents/pick-tickets/INV-1?format=zpl', 400, /PDF only/);
    await expectError('/documents/box-labels', 400, /JSON object/, { method: 'POST', body: '[1,2' });
    await expectError('/documents/box-labels', 400, /labels must be a list/, { method: 'POST', body: JSON.stringify({ labels: [1, 2] }) });
    await expectError('/documents/box-labels', 405, /GET a document/, { method: 'DELETE' });
  });

  it('refuses more boxes than one request prints, naming the limit', async () => {
    const labels = Array.from({ length: MAX_BOXES_PER_DOCUMENT + 1 }, (_, i) => `X-${i}`);
    await expectError('/documents/box-labels', 400, new RegExp(`at most ${MAX_BOXES_PER_DOCUMENT.toLocaleString('en-US')}`), {
      method: 'POST',
      body: JSON.stringify({ labels }),
    });
  });

  it('gives a CUSTOMER or a caller without a valid token nothing, and no links', async () => {
    for (const path of [
      `/documents/box-labels?purchaseOrder=${presoldPo}`,
      `/documents/shipping-labels?invoice=${invoiceNumber}`,
      `/documents/pick-tickets/${invoiceNumber}`,
    ]) {
      const asCustomer = await get(path, customerToken);
      expect(asCustomer.status).toBe(403);
      expect(asCustomer.body.toString('utf8')).not.toContain('%PDF');
      for (const token of [null, 'stl_not-a-token']) {
        const anonymous = await get(path, token);
        expect(anonymous.status).toBe(401);
        expect(anonymous.json().code).toBe('UNAUTHENTICATED');
      }
    }
    // Refused before the body is read.
    const posted = await get('/documents/box-labels', null, { method: 'POST', body: JSON.stringify({ labels: presold }) });
    expect(posted.status).toBe(401);
    const own = await t.ok(`query($n: String!) { invoice(number: $n) { number labelsUrl pickTicketUrl } }`, { n: invoiceNumber }, customerToken);
    expect(own.invoice).toEqual({ number: invoiceNumber, labelsUrl: null, pickTicketUrl: null });
  });

  it('never answers 500 to odd requests', async () => {
    const paths = [
      '/documents',
      '/documents/',
      '/documents/box-labels?labels=',
      '/documents/box-labels?labels=,,,',
      '/documents/box-labels?staging=maybe',
      '/documents/box-labels?staging=true&received=perhaps',
      '/documents/box-labels?shipment=99999999999999999999',
      '/documents/box-labels?purchaseOrder=',
      '/documents/shipping-labels',
      '/documents/shipping-labels?invoice=&labels=x',
      '/documents/pick-tickets/',
      '/documents/pick-tickets/a/b',
      `/documents/box-labels?labels=${'x'.repeat(5000)}`,
      '/documents/box-labels?staging=true&customer=%F0%9F%8C%B9',
    ];
    for (const path of paths) {
      const response = await get(path);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
    }
  });
});

describe('fuzzing the document endpoints', () => {
  it('answers any query string or JSON body with a document or a 4xx, never a 500', async () => {
    const keys = fc.oneof(
      fc.constantFrom('labels', 'label', 'purchaseOrder', 'shipment', 'staging', 'format', 'invoice', 'vendor', 'received', 'overdue', 'customer', 'awb'),
      fc.string({ maxLength: 8 }),
    );
    const values = fc.oneof(
      fc.constantFrom(
        '',
        'true',
        'false',
        'pdf',
        'zpl',
        'PDF',
        '0',
        '-1',
        '1e309',
        '99999999999',
        'PO-000001',
        'INV-000001',
        'B-000001',
        '\u0000',
        '%00',
        ',,,',
      ),
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 20 }),
    );
    const path = fc.constantFrom('/documents/box-labels', '/documents/shipping-labels', '/documents/pick-tickets/INV-000001', '/documents/pick-tickets/');
    await fc.assert(
      fc.asyncProperty(path, fc.array(fc.tuple(keys, values), { maxLength: 5 }), fc.boolean(), async (target, params, post) => {
        const response = post
          ? await get(target, t.adminToken, { method: 'POST', body: JSON.stringify(Object.fromEntries(params)) })
          : await get(`${target}?${new URLSearchParams(params).toString()}`);
        expect(
          response.status === 200 || (response.status >= 400 && response.status < 500),
          `${response.status} ${response.body.toString('utf8').slice(0, 200)}`,
        ).toBe(true);
      }),
      propertyOptions(60),
    );
  });
});

describe('rendering helpers', () => {
  it('pdfPages renders every page', async () => {
    const body = await pdf(`/documents/box-labels?labels=${presold.join(',')}`);
    expect(pdfPages(body, 50)).toHaveLength(presold.length);
  });
});
