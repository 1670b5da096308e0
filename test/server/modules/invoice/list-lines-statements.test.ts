import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVOICE_DOCUMENTS, INVOICES, PREBOOKS } from '../../../../addin/api/documents';
import { confirm, DEFAULT_SETTINGS, isoDate, prebooksInStaging, setSettings } from '../../../support/billing';
import { seedCatalogue } from '../../../support/fixtures';
import { statementCounter, statementShape, type Measured } from '../../../support/statements';
import { startTestServer, type TestServer } from '../../../support/test-server';

/*
 * A page of 100 prebooks or invoices with their lines costs the same SQL statements as a page of 10:
 * the queries the task pane and the sheet tool's pulls send, and a rich API query asking for every
 * field a client typically reads on lines (products, customers, ship-tos, carriers, quantities
 * purchased and billed, boxes and labels, totals). Lines are read in one statement of their own for the
 * whole page rather than joined into the page's query, where the ORM hydrated every line with its
 * product, box type and vendor (most of the read). Not a timing: `npm run bench` reports the page reads
 * against an empty request.
 */

const PRODUCT = `product { id code name kind unit defaultUnitsPerBox defaultBoxType { code } }`;
const CUSTOMER = `customer { id code name kind creditHold targetGpm shipTos { code name } }`;
const PREBOOK_LINE = `id lineNo prebookNumber sellBy boxes unitsPerBox units price cost vendorCost unableToSource ordered purchased billed needed lockedByPo suggestedUnitPrice
  ${PRODUCT} boxType { code name fbe } vendor { code name }`;

const PREBOOK_NODE = `id number status source truckDate customerPo holiday version standingOrderNumber createdAt updatedAt lineIds
    ${CUSTOMER} shipTo { code name address } carrier { code name }
    lines { ${PREBOOK_LINE} }`;
const RICH_PREBOOKS = `query($first: Int) { prebooks(first: $first) {
  totalCount pageInfo { hasNextPage endCursor }
  nodes { ${PREBOOK_NODE} }
} }`;

const INVOICE_NODE = `id number status source kind truckDate customerPo holiday portOfOrigin pickTicketPrinted version createdAt confirmedAt
    total cost gpmPercent pricePending ${CUSTOMER} shipTo { code name address } carrier { code name }
    lines { id lineNo boxes units unitPrice unitCost amount cost gpmPercent inventoryType labels takes { label units } suggestedUnitPrice
      ${PRODUCT} prebookLine { ${PREBOOK_LINE} } }`;
const RICH_INVOICES = `query($first: Int) { invoices(first: $first) {
  totalCount pageInfo { hasNextPage endCursor }
  nodes { ${INVOICE_NODE} }
} }`;

const PRODUCTS = ['ROSE-FREEDOM-50', 'CARN-WHITE', 'VASE-20'];
const DOCUMENTS = 110;

describe('a page of 100 prebooks or invoices with lines costs the statements of a page of 10', () => {
  let t: TestServer;
  let counter: ReturnType<typeof statementCounter>;

  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    await setSettings(t, DEFAULT_SETTINGS);
    // 110 prebooks of three lines on their own truck dates, bought, shipped and confirmed: one invoice each.
    const staged = await prebooksInStaging(
      t,
      Array.from({ length: DOCUMENTS }, (_, i) => ({
        customer: i % 2 ? 'FRESHMART' : 'BLOOMS',
        shipTo: i % 4 === 1 ? 'DC-ATL' : undefined,
        carrier: i % 3 ? 'ARMELLINI' : 'FEDEX',
        truckDate: isoDate(2 + i),
        customerPo: `PO-${i}`,
        lines: PRODUCTS.map((product, l) => ({ product, boxes: 1, unitsPerBox: 10, price: l === 2 && i % 5 === 0 ? null : '1.25', cost: '0.50' })),
      })),
    );
    const labels = staged[0].labels;
    for (let i = 0; i < labels.length; i += 100) await confirm(t, labels.slice(i, i + 100));
    counter = statementCounter(t);
  }, 300_000);
  afterAll(async () => {
    counter?.restore();
    await t?.close();
  });

  async function compare(list: 'prebooks' | 'invoices', query: string): Promise<{ ten: Measured; hundred: Measured }> {
    const ten = await counter.measure(query, { first: 10 });
    const hundred = await counter.measure(query, { first: 100 });
    expect(ten.data[list].nodes).toHaveLength(10);
    expect(hundred.data[list].nodes).toHaveLength(100);
    expect(hundred.data[list].nodes.every((n: any) => n.lines.length === 3)).toBe(true);
    // The same statements; loaders that run side by side may send theirs in either order.
    const shapes = (m: Measured) => m.statements.map(statementShape).sort();
    expect(shapes(hundred), hundred.statements.join('\n')).toEqual(shapes(ten));
    // The page's own statement reads documents only: lines come in one statement of their own.
    const page = hundred.statements.filter((sql) => new RegExp(`from "${list.slice(0, -1)}" as`).test(sql));
    expect(page.length).toBeGreaterThan(0);
    for (const sql of page) expect(sql).not.toMatch(/_line/);
    const document = list.slice(0, -1);
    expect(hundred.statements.filter((sql) => sql.includes(`from ${document}_line where ${document}_id = any`))).toHaveLength(1);
    return { ten, hundred };
  }

  it("the task pane's and the sheet tool's prebook pull", async () => {
    const { hundred } = await compare('prebooks', PREBOOKS);
    const [first] = hundred.data.prebooks.nodes;
    expect(first.lines.map((l: any) => [l.lineNo, l.product.code, l.boxType.code, l.units, l.price])).toEqual([
      [1, 'ROSE-FREEDOM-50', 'QB', 10, '1.25'],
      [2, 'CARN-WHITE', 'HB', 10, '1.25'],
      [3, 'VASE-20', 'FB', 10, null],
    ]);
    // Token, count, page, lines, then one each for products, box types, vendors, customers, ship-tos, carriers.
    expect(hundred.statements.length).toBeLessThanOrEqual(10);
  });

  it("the task pane's and the sheet tool's invoice pulls (the sheet and the printable documents)", async () => {
    const { hundred } = await compare('invoices', INVOICES);
    // Each invoice bills one prebook (PO-i): its customer, ship-to, carrier, lines and totals.
    for (const node of hundred.data.invoices.nodes) {
      const i = Number(node.customerPo.slice(3));
      const pending = i % 5 === 0;
      expect(node).toMatchObject({
        customer: { code: i % 2 ? 'FRESHMART' : 'BLOOMS' },
        shipTo: i % 4 === 1 ? { code: 'DC-ATL' } : null,
        carrier: { code: i % 3 ? 'ARMELLINI' : 'FEDEX' },
        total: pending ? '25.00' : '37.50',
        cost: '15.00',
        gpmPercent: pending ? null : '60.00',
      });
      expect(node.lines.map((l: any) => [l.product.code, l.units, l.unitPrice, l.amount, l.unitCost])).toEqual([
        ['ROSE-FREEDOM-50', 10, '1.25', '12.50', '0.50'],
        ['CARN-WHITE', 10, '1.25', '12.50', '0.50'],
        ['VASE-20', 10, pending ? null : '1.25', pending ? null : '12.50', '0.50'],
      ]);
    }
    expect(hundred.statements.length).toBeLessThanOrEqual(10);
    const documents = await compare('invoices', INVOICE_DOCUMENTS);
    expect(documents.hundred.data.invoices.nodes[0].lines[0]).toMatchObject({ lineNo: 1, product: { code: 'ROSE-FREEDOM-50', unit: 'STEM' }, amount: '12.50' });
  });

  it('a rich prebook query: quantities purchased and billed, products, box types, vendors, customers', async () => {
    const { hundred } = await compare('prebooks', RICH_PREBOOKS);
    const nodes = hundred.data.prebooks.nodes;
    expect(nodes[1]).toMatchObject({ customer: { code: 'FRESHMART', shipTos: [{ code: 'DC-ATL' }, { code: 'DC-ORL' }] }, shipTo: { code: 'DC-ATL' } });
    expect(nodes[0].lineIds).toEqual(nodes[0].lines.map((l: any) => l.id));
    expect(nodes.flatMap((n: any) => n.lines).every((l: any) => l.ordered === 1 && l.purchased === 1 && l.billed === 1 && l.needed === 0 && l.lockedByPo)).toBe(
      true,
    );
    expect(nodes[0].lines[0]).toMatchObject({ vendor: null, product: { defaultBoxType: { code: 'QB' } }, boxType: { fbe: expect.any(String) } });
    expect(hundred.statements.length).toBeLessThanOrEqual(14);
  });

  it('a rich invoice query: boxes, labels, takes, prebook lines and their quantities, totals', async () => {
    const { hundred } = await compare('invoices', RICH_INVOICES);
    const first = hundred.data.invoices.nodes.find((n: any) => n.pricePending);
    expect(first.lines).toHaveLength(3);
    for (const line of first.lines) {
      expect(line.labels).toHaveLength(1);
      expect(line.takes).toEqual([{ label: line.labels[0], units: 10 }]);
      expect(line.prebookLine).toMatchObject({ lineNo: line.lineNo, purchased: 1, billed: 1, product: { code: line.product.code } });
    }
    expect(first.lines[2]).toMatchObject({ unitPrice: null, suggestedUnitPrice: '0.71' });
    expect(first.lines[0].suggestedUnitPrice).toBeNull();
    // An invoice's total reads the page's charges in one more statement.
    expect(hundred.statements.length).toBeLessThanOrEqual(17);
  });

  it('every document of a page with its lines answers byte for byte as the document read alone', async () => {
    // A page's lines are plain rows read for the whole page; a document read alone is the ORM's entity
    // with its lines populated: the two answers must not differ in a character, field by field.
    for (const [list, one, node] of [
      ['prebooks', 'prebook', PREBOOK_NODE],
      ['invoices', 'invoice', INVOICE_NODE],
    ] as const) {
      const page = await t.ok(`query($first: Int) { ${list}(first: $first) { nodes { ${node} } } }`, { first: 100 });
      expect(page[list].nodes).toHaveLength(100);
      for (const listed of page[list].nodes) {
        const alone = await t.ok(`query($number: String!) { ${one}(number: $number) { ${node} } }`, { number: listed.number });
        expect(JSON.stringify(listed), listed.number).toBe(JSON.stringify(alone[one]));
      }
    }
  }, 300_000);

  it('a CUSTOMER token pages through its own documents only, in the same statements for 10 and 100', async () => {
    const secret = (await t.ok(`mutation { createApiToken(input: { name: "fm", role: "CUSTOMER", customer: "FRESHMART" }) { secret } }`)).createApiToken.secret;
    const query = `query($first: Int) { prebooks(first: $first) { nodes { customer { code } lines { product { code } units price } } }
      invoices(first: $first) { nodes { customer { code } total lines { product { code } units amount prebookLine { prebookNumber } } } } }`;
    const run = async (first: number) => {
      const result = await t.gql(query, { first }, secret);
      expect(result.errors).toBeUndefined();
      return result.data!;
    };
    const few = await run(10);
    const many = await run(100);
    expect(many.prebooks.nodes).toHaveLength(DOCUMENTS / 2);
    expect(many.invoices.nodes).toHaveLength(DOCUMENTS / 2);
    expect([...many.prebooks.nodes, ...many.invoices.nodes, ...few.prebooks.nodes].every((n: any) => n.customer.code === 'FRESHMART')).toBe(true);
    expect(many.invoices.nodes.every((n: any) => n.lines.length === 3 && n.lines[0].prebookLine.prebookNumber)).toBe(true);
  });
});
