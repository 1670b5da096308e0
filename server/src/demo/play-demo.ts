// npm run demo: plays the production of finished goods (docs/maintainers.md#production-runs) against a running server
// with the demo catalogue, printing each step with its documents, invoices and GPM.
// Server: --server / STEMLINE_SERVER (default https, then http, on localhost:$PORT or 4000).
// Token: --token / STEMLINE_TOKEN, else the first ADMIN token npm start kept in <data dir>/admin-token.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { server: { type: 'string' }, token: { type: 'string' } } });

const BOXES = { priced: 50, unpriced: 10 };
const PER_BOX = 8; // BQT-VALENTINE-DOZEN, 8 bouquets an FB box
const STEMS_PER_BOUQUET = 12;
const LABOUR = '1.50';
const ROSE_FOB = '0.32';
const FREIGHT_PER_ROSE_BOX = '6.25'; // 125 stems a box: 0.05 a stem, landed 0.37
const SLEEVE = '0.08';
const FOOD = '0.02';

type Json = Record<string, any>;

function fail(message: string): never {
  console.error(`\nnpm run demo: ${message}`);
  process.exit(1);
}

/** One HTTP(S) request; npm start's certificate comes from office-addin-dev-certs' own CA, so it is trusted on localhost only. */
function request(url: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const target = new URL(url);
  const local = ['localhost', '127.0.0.1', '::1'].includes(target.hostname);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(target, { method: body ? 'POST' : 'GET', headers, rejectUnauthorized: !local }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function endpoint(): Promise<string> {
  const given = values.server ?? process.env.STEMLINE_SERVER;
  const port = process.env.PORT || 4000;
  const candidates = given ? [given] : [`https://localhost:${port}`, `http://localhost:${port}`];
  for (const base of candidates) {
    const url = base.replace(/\/+$/, '').replace(/\/graphql$/, '');
    const health = await request(`${url}/health`).catch(() => null);
    if (health && (health.status === 200 || health.status === 503)) return `${url}/graphql`;
  }
  return fail(`no Stemline server answers at ${candidates.join(' or ')}. Start it with npm start (or give --server URL).`);
}

function token(): { secret: string; from: string } {
  if (values.token) return { secret: values.token, from: '--token' };
  if (process.env.STEMLINE_TOKEN) return { secret: process.env.STEMLINE_TOKEN, from: 'STEMLINE_TOKEN' };
  const file = path.join(path.resolve(process.env.STEMLINE_DATA_DIR || '.data'), 'admin-token');
  if (fs.existsSync(file)) return { secret: fs.readFileSync(file, 'utf8').trim(), from: file };
  return fail(`no API token: give --token or STEMLINE_TOKEN (npm start prints the first one, and keeps it in ${file} on its embedded database).`);
}

const url = await endpoint();
const { secret, from: tokenFrom } = token();

async function gql(query: string, variables?: Json): Promise<Json> {
  const response = await request(url, JSON.stringify({ query, variables }), { 'content-type': 'application/json', authorization: `Bearer ${secret}` }).catch(
    (error: Error) => fail(`the server stopped answering (${error.message}).`),
  );
  let body: { data?: Json; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  try {
    body = JSON.parse(response.text);
  } catch {
    return fail(`${url} answered HTTP ${response.status} without a GraphQL response: is it a Stemline server? (give --server URL)`);
  }
  if (body.errors?.length) {
    if (body.errors[0].extensions?.code === 'UNAUTHENTICATED')
      fail(`the server refused the token from ${tokenFrom} (UNAUTHENTICATED): give a valid --token or STEMLINE_TOKEN.`);
    if (body.errors[0].extensions?.code === 'FORBIDDEN')
      fail(`the token from ${tokenFrom} may not do this (${body.errors[0].message}): the demo needs an ADMIN or BUYER token.`);
    fail(`GraphQL error: ${body.errors.map((e) => e.message).join('; ')}`);
  }
  if (!body.data) fail(`${url} answered HTTP ${response.status} with no data.`);
  return body.data;
}

// Before anything is written: the token may write, the demo catalogue is there, and billing runs on confirmation.
const NEEDED = {
  products: ['BQT-VALENTINE-DOZEN', 'ROSE-FREEDOM-50-RED', 'SLEEVE-CLEAR-50CM', 'FLOWER-FOOD-10G'],
  vendors: ['ROSAS-SABANA', 'FLORALSUPPLY', 'BOUQUETWORKS'],
  customers: ['FRESHMART', 'BLOOMS-NYC', 'BOUQUETWORKS'],
  locations: ['MIA'],
  carriers: ['ARMELLINI', 'FEDEX'],
};
{
  const lookups = Object.entries(NEEDED).flatMap(([list, codes]) => codes.map((code, i) => ({ alias: `${list}${i}`, list, code })));
  const check = await gql(
    `query(${lookups.map((l) => `$${l.alias}: String`).join(', ')}) { me { role } settings { autoBilling } ${lookups
      .map((l) => `${l.alias}: ${l.list}(filter: { text: $${l.alias} }, first: 100) { nodes { code } }`)
      .join(' ')} }`,
    Object.fromEntries(lookups.map((l) => [l.alias, l.code])),
  );
  if (!['ADMIN', 'BUYER'].includes(check.me.role)) fail(`the token from ${tokenFrom} has role ${check.me.role}: the demo needs an ADMIN or BUYER token.`);
  const missing = lookups.filter((l) => !check[l.alias].nodes.some((n: Json) => n.code === l.code)).map((l) => `${l.list.replace(/s$/, '')} ${l.code}`);
  if (missing.length) {
    fail(
      `this server lacks the demo catalogue (${missing.join(', ')}). npm start seeds it only on an empty database ` +
        `(and not with STEMLINE_DEMO_DATA=off): start one on a new data directory, e.g. STEMLINE_DATA_DIR=.data-demo npm start.`,
    );
  }
  if (!['ON_MANUAL_CONFIRMATION', 'ON_INCOMING_SCAN_OR_CONFIRMATION'].includes(check.settings.autoBilling)) {
    fail(
      `automatic billing is ${check.settings.autoBilling} on this server; the demo bills on confirmation: mutation { updateSettings(input: { autoBilling: "ON_MANUAL_CONFIRMATION" }) { errors { message } } }`,
    );
  }
}

function expectNoErrors(step: string, errors: Array<{ code: string; message: string }>): void {
  if (errors.length) fail(`${step}: ${errors.map((e) => `${e.code} ${e.message}`).join('; ')}`);
}

function expectAllConfirmed(step: string, payload: Json, boxes: number): void {
  const refused = payload.results.filter((r: Json) => r.outcome !== 'CONFIRMED');
  if (refused.length || payload.summary.confirmed !== boxes) {
    fail(`${step}: ${payload.summary.confirmed} of ${boxes} boxes confirmed; ${refused.map((r: Json) => `${r.label}: ${r.message}`).join('; ')}`);
  }
}

const date = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const run = Date.now().toString(36).toUpperCase();
const money = (value: string | null) => (value === null ? 'price pending' : `$${Number(value).toLocaleString('en-US', { minimumFractionDigits: 2 })}`);
const say = (line = '') => console.log(line);
const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

async function shipAll(poNumber: string, freightPerBox: string | null): Promise<string[]> {
  const po = await gql(`query($n: String) { purchaseOrders(filter: { number: $n }) { nodes { lines { id boxes } } } }`, { n: poNumber });
  const data = await gql(`mutation($i: ShipPurchaseOrderInput!) { shipPurchaseOrder(input: $i) { boxes { label } errors { code message } } }`, {
    i: {
      purchaseOrder: poNumber,
      awb: `AWB-${run}-${poNumber}`,
      freightPerBox,
      lines: po.purchaseOrders.nodes[0].lines.map((l: Json) => ({ poLine: l.id, boxes: l.boxes })),
    },
  });
  expectNoErrors(`shipping ${poNumber}`, data.shipPurchaseOrder.errors);
  return data.shipPurchaseOrder.boxes.map((b: Json) => b.label);
}

async function printInvoice(number: string): Promise<void> {
  const data = await gql(
    `query($n: String!) { invoice(number: $n) { number customer { code } status total cost gpmPercent pricePending lines { product { code } boxes units unitPrice unitCost } } }`,
    { n: number },
  );
  const i = data.invoice;
  const gpm = i.gpmPercent === null ? (i.pricePending ? 'GPM when priced' : 'no GPM at 0.00') : `GPM ${i.gpmPercent} %`;
  say(`     ${i.number} ${i.customer.code} (${i.status}): ${i.pricePending ? 'price pending' : money(i.total)}, cost ${money(i.cost)}, ${gpm}`);
  for (const line of i.lines)
    say(`       ${line.product.code}: ${count(line.boxes, 'box', 'boxes')}, ${line.units} units at ${money(line.unitPrice)} (cost ${money(line.unitCost)})`);
}

const flowers = Number(ROSE_FOB) + Number(FREIGHT_PER_ROSE_BOX) / 125;
const cost = (STEMS_PER_BOUQUET * flowers + Number(SLEEVE) + Number(FOOD) + Number(LABOUR)).toFixed(2);
const bouquets = (BOXES.priced + BOXES.unpriced) * PER_BOX;
const roseBoxes = Math.ceil((bouquets * STEMS_PER_BOUQUET) / 125);

say(`Stemline demo: producing Valentine bouquets through Bouquet Works (${url}, run ${run})`);
say(`A bouquet = ${STEMS_PER_BOUQUET} Freedom roses (landed ${flowers.toFixed(2)}) + sleeve ${SLEEVE} + food ${FOOD} + labour ${LABOUR} = cost ${cost}`);
say();

say(`1. Prebooks of finished goods: ${BOXES.priced} boxes to FreshMart at $8.99 a bouquet, ${BOXES.unpriced} boxes to Blooms of Manhattan with no price yet`);
const truckDate = date(6);
const prebooks = await gql(
  `mutation($i: [PrebookInput!]!, $k: String) { savePrebooks(input: $i, idempotencyKey: $k) { prebooks { number customer { code } lines { id units } } errors { code message } } }`,
  {
    k: `demo-prebooks-${run}`,
    i: [
      {
        customer: 'FRESHMART',
        shipTo: 'DC-ATL',
        carrier: 'ARMELLINI',
        truckDate,
        customerPo: `FM-VDAY-${run}`,
        lines: [{ product: 'BQT-VALENTINE-DOZEN', boxes: BOXES.priced, unitsPerBox: PER_BOX, price: '8.99', cost }],
      },
      {
        customer: 'BLOOMS-NYC',
        carrier: 'FEDEX',
        truckDate,
        customerPo: `BL-VDAY-${run}`,
        lines: [{ product: 'BQT-VALENTINE-DOZEN', boxes: BOXES.unpriced, unitsPerBox: PER_BOX, price: null, cost }],
      },
    ],
  },
);
expectNoErrors('savePrebooks', prebooks.savePrebooks.errors);
for (const p of prebooks.savePrebooks.prebooks) say(`   ${p.number} for ${p.customer.code}: ${p.lines[0].units} bouquets, truck date ${truckDate}`);

// The bouquet's recipe, and a production run for both prebooks: Stemline follows what goes to Bouquet Works and what comes back.
const recipe = await gql(`mutation { upsertProducts(input: [{ code: "BQT-VALENTINE-DOZEN", recipe: [
  { component: "ROSE-FREEDOM-50-RED", units: "${STEMS_PER_BOUQUET}" }, { component: "SLEEVE-CLEAR-50CM", units: "1" }, { component: "FLOWER-FOOD-10G", units: "1" }] }]) { errors { code message } } }`);
expectNoErrors('upsertProducts (recipe)', recipe.upsertProducts.errors);
const productionRun = await gql(`mutation($i: ProductionRunInput!) { saveProductionRun(input: $i) { productionRun { number } errors { code message } } }`, {
  i: { productionCompany: 'BOUQUETWORKS', prebookLines: prebooks.savePrebooks.prebooks.map((p: Json) => p.lines[0].id) },
});
expectNoErrors('saveProductionRun', productionRun.saveProductionRun.errors);
const runNumber: string = productionRun.saveProductionRun.productionRun.number;
say(`   Production run ${runNumber} for Bouquet Works: the recipe is ${STEMS_PER_BOUQUET} roses + 1 sleeve + 1 flower food a bouquet`);

say(`2. Standalone POs for the components, with Bouquet Works as customer: ${roseBoxes} boxes of roses, sleeves and flower food`);
const components = await gql(
  `mutation($i: [PurchaseOrderInput!]!) { savePurchaseOrders(input: $i) { purchaseOrders { number vendor { code } lines { product { code } boxes } } errors { code message } } }`,
  {
    i: [
      {
        vendor: 'ROSAS-SABANA',
        customer: 'BOUQUETWORKS',
        location: 'MIA',
        shipDate: date(2),
        lines: [{ product: 'ROSE-FREEDOM-50-RED', boxes: roseBoxes, unitCost: ROSE_FOB }],
      },
      {
        vendor: 'FLORALSUPPLY',
        customer: 'BOUQUETWORKS',
        location: 'MIA',
        shipDate: date(2),
        lines: [
          { product: 'SLEEVE-CLEAR-50CM', boxes: 1, unitCost: SLEEVE },
          { product: 'FLOWER-FOOD-10G', boxes: 1, unitCost: FOOD },
        ],
      },
    ],
  },
);
expectNoErrors('savePurchaseOrders', components.savePurchaseOrders.errors);
for (const po of components.savePurchaseOrders.purchaseOrders)
  say(`   ${po.number} from ${po.vendor.code}: ${po.lines.map((l: Json) => `${l.boxes} x ${l.product.code}`).join(', ')}`);
const componentPos = components.savePurchaseOrders.purchaseOrders.map((po: Json) => po.number);

say('3. The farm and the supplier ship; the boxes are confirmed from staging into inventory, reserved for Bouquet Works');
const roses = await shipAll(componentPos[0], FREIGHT_PER_ROSE_BOX);
const supplies = await shipAll(componentPos[1], null);
const confirmed = await gql(
  `mutation($p: [String!], $k: String) { confirmStaging(input: { purchaseOrders: $p }, idempotencyKey: $k) { summary { confirmed failed } results { label outcome message } errors { code message } } }`,
  { p: componentPos, k: `demo-components-${run}` },
);
expectNoErrors('confirmStaging', confirmed.confirmStaging.errors);
expectAllConfirmed('confirmStaging of the components', confirmed.confirmStaging, roses.length + supplies.length);
const reserved = async () => (await gql(`{ inventory(filter: { customer: "BOUQUETWORKS", inventoryType: M }) { totalCount } }`)).inventory.totalCount as number;
say(
  `   ${count(confirmed.confirmStaging.summary.confirmed, 'box', 'boxes')} confirmed; Bouquet Works has ${count(await reserved(), 'box', 'boxes')} reserved in inventory (type M)`,
);

say('4. The components go to Bouquet Works on an invoice at 0.00 (it pays only labour); inventory empties');
const zero = await gql(
  `mutation($r: String!, $l: [String!]!, $d: String, $k: String) { transferComponents(productionRun: $r, labels: $l, truckDate: $d, idempotencyKey: $k) { invoice { number } errors { code message } } }`,
  {
    r: runNumber,
    l: [...roses, ...supplies],
    d: date(3),
    k: `demo-components-transfer-${run}`,
  },
);
expectNoErrors('transferComponents', zero.transferComponents.errors);
say(`   transferComponents on ${runNumber}: a TRANSFER invoice, never revenue`);
await printInvoice(zero.transferComponents.invoice.number);
const left = await reserved();
if (left !== 0) fail(`after the 0.00 invoice Bouquet Works still has ${count(left, 'box', 'boxes')} in inventory.`);
say('     Bouquet Works has no boxes left in inventory');

say(`5. The finished-goods PO from the prebooks: Bouquet Works as vendor, unit cost = labour ${LABOUR}`);
const lineIds = prebooks.savePrebooks.prebooks.map((p: Json) => p.lines[0].id);
const finished = await gql(
  `mutation($i: CreatePurchaseOrdersFromPrebooksInput!) { createPurchaseOrdersFromPrebooks(input: $i) { purchaseOrders { number lines { boxes } } errors { code message } } }`,
  {
    i: { vendor: 'BOUQUETWORKS', location: 'MIA', prebookLines: lineIds.map((id: string) => ({ id, unitCost: LABOUR })) },
  },
);
expectNoErrors('createPurchaseOrdersFromPrebooks', finished.createPurchaseOrdersFromPrebooks.errors);
const finishedPo = finished.createPurchaseOrdersFromPrebooks.purchaseOrders[0];
const linked = await gql(`mutation($i: ProductionRunInput!) { saveProductionRun(input: $i) { errors { code message } } }`, {
  i: { number: runNumber, productionPurchaseOrder: finishedPo.number },
});
expectNoErrors('saveProductionRun (production PO)', linked.saveProductionRun.errors);
const needs = await gql(`query($n: String) { purchaseNeeds(filter: { prebookNumber: $n }) { totalCount } }`, { n: prebooks.savePrebooks.prebooks[0].number });
say(
  `   ${finishedPo.number}: ${finishedPo.lines.map((l: Json) => l.boxes).join(' + ')} boxes; still to buy for ${prebooks.savePrebooks.prebooks[0].number}: ${needs.purchaseNeeds.totalCount}`,
);

say('6. Bouquet Works ships, the warehouse scans the boxes in, the buyer confirms: automatic billing invoices the final customers');
const bouquetBoxes = await shipAll(finishedPo.number, null);
const billingFields = 'billing { invoiceNumbers issue { code message } }';
const scanned = await gql(`mutation($l: [String!]!) { scanBoxes(labels: $l, kind: INBOUND) { results { label outcome message ${billingFields} } } }`, {
  l: bouquetBoxes,
});
const unscanned = scanned.scanBoxes.results.filter((r: Json) => r.outcome !== 'SCANNED');
if (unscanned.length) fail(`scanBoxes: ${unscanned.map((r: Json) => `${r.label} ${r.outcome} ${r.message}`).join('; ')}`);
// ON_MANUAL_CONFIRMATION bills at the confirmation; ON_INCOMING_SCAN_OR_CONFIRMATION already at the scan, and the boxes it billed left staging.
const billedAtScan = scanned.scanBoxes.results.filter((r: Json) => r.billing?.invoiceNumbers.length).length;
const toConfirm = bouquetBoxes.length - billedAtScan;
const billed = toConfirm
  ? await gql(
      `mutation($p: [String!], $k: String) { confirmStaging(input: { purchaseOrders: $p }, idempotencyKey: $k) { summary { confirmed failed } results { label outcome message ${billingFields} } errors { code message } } }`,
      { p: [finishedPo.number], k: `demo-bouquets-${run}` },
    )
  : { confirmStaging: { summary: { confirmed: 0, failed: 0 }, results: [], errors: [] } };
expectNoErrors('confirmStaging', billed.confirmStaging.errors);
expectAllConfirmed('confirmStaging of the bouquets', billed.confirmStaging, toConfirm);
const billing = [...scanned.scanBoxes.results, ...billed.confirmStaging.results].filter((r: Json) => r.billing);
const issues = billing.filter((r: Json) => r.billing.issue);
if (issues.length)
  fail(
    `automatic billing left ${count(issues.length, 'box', 'boxes')} unbilled: ${issues.map((r: Json) => `${r.label} ${r.billing.issue.code} ${r.billing.issue.message}`).join('; ')}`,
  );
const invoiceNumbers = [...new Set<string>(billing.flatMap((r: Json) => r.billing.invoiceNumbers))];
const billedBoxes = new Set(billing.filter((r: Json) => r.billing.invoiceNumbers.length).map((r: Json) => r.label)).size;
if (billedBoxes !== bouquetBoxes.length) fail(`automatic billing billed ${billedBoxes} of ${bouquetBoxes.length} boxes.`);
say(
  `   ${count(bouquetBoxes.length, 'box', 'boxes')} scanned in, ${toConfirm} confirmed, ${billedBoxes} billed${billedAtScan ? ` (${billedAtScan} at the scan)` : ''} ` +
    `on ${count(invoiceNumbers.length, 'consolidated invoice')}, no billing issues`,
);
for (const number of invoiceNumbers) await printInvoice(number);

const pending = [];
for (const number of invoiceNumbers) {
  const data = await gql(`query($n: String!) { invoice(number: $n) { number version pricePending lines { id } } }`, { n: number });
  if (data.invoice.pricePending) pending.push(data.invoice);
}
for (const invoice of pending) {
  say(`7. Blooms agrees a price of $9.49 a bouquet: setInvoicePrices on ${invoice.number}`);
  const priced = await gql(
    `mutation($n: String!, $p: [InvoicePriceInput!]!, $v: Int) { setInvoicePrices(number: $n, prices: $p, version: $v) { errors { code message } } }`,
    {
      n: invoice.number,
      v: invoice.version,
      p: invoice.lines.map((l: Json) => ({ line: l.id, unitPrice: '9.49' })),
    },
  );
  expectNoErrors('setInvoicePrices', priced.setInvoicePrices.errors);
  await printInvoice(invoice.number);
}

const report = await gql(
  `query($f: GpmReportFilter) { gpmReport(filter: $f) { revenue cost margin gpmPercent rows { customer { code } units revenue cost gpmPercent belowTarget } } }`,
  {
    f: { product: 'BQT-VALENTINE-DOZEN', truckDateFrom: truckDate, truckDateTo: truckDate },
  },
);
const g = report.gpmReport;
say();
say(
  `gpmReport, Valentine bouquets trucking ${truckDate} (earlier demo runs of the day included): revenue ${money(g.revenue)}, cost ${money(g.cost)}, margin ${money(g.margin)}, GPM ${g.gpmPercent} %`,
);
for (const row of g.rows)
  say(`   ${row.customer.code}: ${row.units} bouquets, ${money(row.revenue)} revenue, GPM ${row.gpmPercent} %${row.belowTarget ? ' (below target)' : ''}`);
const runView = (
  await gql(
    `query($n: String) { productionRuns(filter: { number: $n }) { nodes {
    components { component { code } required transferred short over transferredCost }
    finishedUnitsOrdered finishedUnitsReceived finishedUnitsBilled componentCost labourUnitCost
    estimatedUnitCost actualUnitCost unitPrice estimatedGpmPercent actualGpmPercent } } }`,
    { n: runNumber },
  )
).productionRuns.nodes[0];
say();
say(
  `Production run ${runNumber}: ${runView.finishedUnitsReceived} of ${runView.finishedUnitsOrdered} bouquets received, ${runView.finishedUnitsBilled} billed`,
);
for (const c of runView.components) {
  const diff = Number(c.short) > 0 ? `short ${c.short}` : Number(c.over) > 0 ? `over ${c.over}` : 'exact';
  say(`   ${c.component.code}: required ${c.required}, transferred ${c.transferred} (${diff}), landed ${money(c.transferredCost)}`);
}
say(`   components ${money(runView.componentCost)} / ${runView.finishedUnitsReceived} bouquets + labour ${money(runView.labourUnitCost)}`);
say(
  `   unit cost: estimated $${runView.estimatedUnitCost}, actual $${runView.actualUnitCost}; GPM at ${money(runView.unitPrice)}: estimated ${runView.estimatedGpmPercent ?? '-'} %, actual ${runView.actualGpmPercent ?? '-'} %`,
);
say(
  '\nDone. Open the Invoices panel of the Excel add-in, or run: npx stemline-sheet pull invoices --out invoices.xlsx (and pull production --out production.xlsx)',
);
