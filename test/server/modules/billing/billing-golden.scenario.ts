// The golden master's scenario steps: a server of its own, GraphQL calls whose payloads are recorded
// (normalized: no ids, no timestamps, dates as offsets from today), the documents it stages, and the
// state it dumps at the end with plain SQL and a few GraphQL reads (billing-golden.test.ts).
import pg from 'pg';
import { expect } from 'vitest';
import { DEFAULT_SETTINGS, isoDate } from '../../../support/billing';
import { startTestServer, type TestServer } from '../../../support/test-server';

export let t: TestServer;
let db: pg.Client;

/** The scenario's server (with an empty database) and a plain SQL connection to its database. */
export async function startGoldenServer(): Promise<void> {
  t = await startTestServer();
  db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
}

export async function stopGoldenServer(): Promise<void> {
  await db?.end();
  await t?.close();
}

// ---------------------------------------------------------------------------
// Normalization: no ids, no timestamps, dates as offsets from today.

export const DAY_MS = 86_400_000;
export const TODAY = isoDate(0);
export const day = (offset: number) => isoDate(offset);

export function dateOffset(date: string): string {
  const n = Math.round((Date.parse(date) - Date.parse(TODAY)) / DAY_MS);
  return n >= 0 ? `D+${n}` : `D${n}`;
}

export function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) if (key !== 'id') out[key] = normalize(v);
    return out;
  }
  if (typeof value === 'string') {
    return value.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?/g, '<timestamp>').replace(/\b\d{4}-\d{2}-\d{2}\b/g, dateOffset);
  }
  return value;
}

// ---------------------------------------------------------------------------
// GraphQL calls, each recorded (normalized) in call order.

export const calls: Array<{ step: string; op: string; result: unknown }> = [];

export async function call(step: string, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const result = await t.gql(query, variables);
  const op = /\{\s*(\w+)/.exec(query)![1];
  const payload = (result.data as Record<string, unknown> | null | undefined)?.[op] ?? null;
  // A failed request is part of the behaviour too: its errors are recorded (without stack traces).
  const errors = result.errors?.map((e) => ({ message: e.message, path: (e as { path?: unknown }).path, code: e.extensions?.code }));
  calls.push({ step, op, result: normalize(errors ? { payload, graphqlErrors: errors } : payload) });
  return payload;
}

/** Setup calls are checked but not recorded (their effect is in the final state). */
export async function setup(query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const data = await t.ok(query, variables);
  const payload = Object.values(data)[0] as any;
  if (payload?.errors?.length) throw new Error(`setup: ${JSON.stringify(payload.errors)}`);
  return payload;
}

export async function settings(overrides: Record<string, unknown> = {}): Promise<void> {
  await setup(`mutation($input: SettingsInput!) { updateSettings(input: $input) { errors { code message } } }`, {
    input: { ...DEFAULT_SETTINGS, ...overrides },
  });
}

export const BOX = `box { status inventoryType customer { code } unitsRemaining received prebookNumber }`;
export const BILLING = `billing { invoiceNumbers issue { code message } releasedUnits }`;
export const CONFIRM = `mutation($labels: [String!], $pos: [String!], $dryRun: Boolean, $key: String) {
  confirmStaging(input: { labels: $labels, purchaseOrders: $pos, dryRun: $dryRun }, idempotencyKey: $key) {
    results { label outcome code message ${BILLING} ${BOX} }
    summary { confirmed failed billed issues invoices }
    errors { code message row field }
    replayed
  }
}`;
export const SCAN = `mutation($l: [String!]!, $k: ScanKind!) { scanBoxes(labels: $l, kind: $k) { results { label outcome message shippingLabel ${BILLING} ${BOX} } } }`;
export const ALLOCATION = `lines { prebookLine { prebookNumber lineNo } allocated stillNeeded invoiceNumbers linkedLabels reason message } errors { code message row field }`;
export const INVOICE = `invoice { number status source customer { code } truckDate pickTicketPrinted total pricePending
  lines { lineNo product { code } boxes units unitPrice unitCost prebookLine { prebookNumber lineNo } inventoryType takes { label units } } }
  errors { code message field }`;

export async function confirm(step: string, input: { labels?: string[]; pos?: string[]; dryRun?: boolean; key?: string }) {
  const payload = await call(step, CONFIRM, { labels: input.labels ?? null, pos: input.pos ?? null, dryRun: input.dryRun ?? false, key: input.key ?? null });
  return payload as { results: Array<{ label: string; billing: { invoiceNumbers: string[] } | null }> };
}
/** The (first) invoice the confirmation put `label` on. */
export const invoiceOf = (payload: { results: Array<{ label: string; billing: { invoiceNumbers: string[] } | null }> }, label: string) =>
  payload.results.find((r) => r.label === label)!.billing!.invoiceNumbers[0];

export const scan = (step: string, labels: string[], kind: 'INBOUND' | 'OUTBOUND') => call(step, SCAN, { l: labels, k: kind });
export const allocate = (step: string, prebookLine: string, labels: string[], extra: { units?: number; dryRun?: boolean } = {}) =>
  call(step, `mutation($l: ID!, $b: [String!]!, $u: Int, $d: Boolean) { allocate(prebookLine: $l, labels: $b, units: $u, dryRun: $d) { ${ALLOCATION} } }`, {
    l: prebookLine,
    b: labels,
    u: extra.units ?? null,
    d: extra.dryRun ?? false,
  });
export const massAllocate = (step: string, filter: Record<string, unknown> | null, dryRun = false) =>
  call(step, `mutation($f: MassAllocateFilter, $d: Boolean) { massAllocate(filter: $f, dryRun: $d) { ${ALLOCATION} } }`, { f: filter, d: dryRun });
export const fillFromOpenMarket = (step: string, prebookLines: string[], dryRun = false) =>
  call(step, `mutation($l: [ID!]!, $d: Boolean) { fillFromOpenMarket(prebookLines: $l, dryRun: $d) { ${ALLOCATION} } }`, { l: prebookLines, d: dryRun });
export const invoiceMutation = (step: string, name: 'confirmInvoice' | 'voidInvoice' | 'printPickTicket', number: string) =>
  call(
    step,
    `mutation($n: String!) { ${name}(number: $n) { ${INVOICE} ${name === 'printPickTicket' ? 'pickTicket { invoiceNumber lines { product { code } boxes units labels } }' : ''} } }`,
    { n: number },
  );
export const unallocate = (step: string, invoiceLine: string) =>
  call(step, `mutation($l: ID!) { unallocate(invoiceLine: $l) { ${INVOICE} } }`, { l: invoiceLine });

/** The id of an invoice's line that serves `prebookNumber` (ids stay out of the snapshot). */
export async function invoiceLineId(number: string, prebookNumber: string): Promise<string> {
  const data = await t.ok(`query($n: String!) { invoice(number: $n) { lines { id prebookLine { prebookNumber } } } }`, { n: number });
  return data.invoice.lines.find((l: any) => l.prebookLine?.prebookNumber === prebookNumber).id;
}

// ---------------------------------------------------------------------------
// Scenario builders.

export const rose = (boxes: number, extra: object = {}) => ({ product: 'ROSE-FREEDOM-50', boxes, unitsPerBox: 100, price: '0.80', cost: '0.55', ...extra });
export const carnations = (units: number, extra: object = {}) => ({ product: 'CARN-WHITE', units, price: '0.20', ...extra });

interface PrebookSpec {
  customer: string;
  truckDay: number;
  lines: object[];
  carrier?: string;
  shipTo?: string;
  customerPo?: string;
  holiday?: boolean;
}

interface Prebooked {
  number: string;
  lineIds: string[];
}

export async function prebooks(specs: PrebookSpec[]): Promise<Prebooked[]> {
  const saved = await setup(`mutation($input: [PrebookInput!]!) { savePrebooks(input: $input) { prebooks { number lines { id } } errors { code message } } }`, {
    input: specs.map(({ truckDay, ...spec }) => ({ carrier: 'ARMELLINI', ...spec, truckDate: day(truckDay) })),
  });
  return saved.prebooks.map((p: any) => ({ number: p.number, lineIds: p.lines.map((l: any) => l.id) }));
}

interface Staged {
  prebooks: Prebooked[];
  purchaseOrders: string[];
  /** Every shipped box, with the prebook line ("PB-000001/1") its first demand serves. */
  boxes: Array<{ label: string; serves: string }>;
}

/** Labels of the boxes bought for prebook `index` of a staged batch (optionally for one of its lines). */
export function labelsOf(staged: Staged, index: number, lineNo?: number): string[] {
  const prefix = `${staged.prebooks[index].number}/`;
  return staged.boxes.filter((b) => (lineNo ? b.serves === `${prefix}${lineNo}` : b.serves.startsWith(prefix))).map((b) => b.label);
}

/** Buys prebook lines (one PO per vendor) and ships them: the boxes wait in staging. */
export async function buyAndShip(
  lineIds: string[],
  shipping: { location?: string; port?: string; vendor?: string; shipAtMost?: number } = {},
): Promise<Pick<Staged, 'purchaseOrders' | 'boxes'>> {
  const bought = await setup(
    `mutation($input: CreatePurchaseOrdersFromPrebooksInput!) { createPurchaseOrdersFromPrebooks(input: $input) { purchaseOrders { number lines { id boxes } } errors { code message } } }`,
    { input: { vendor: shipping.vendor ?? 'ROSAS', location: shipping.location ?? 'MIA', prebookLines: lineIds.map((id) => ({ id, unitCost: '0.40' })) } },
  );
  const boxes: Staged['boxes'] = [];
  for (const order of bought.purchaseOrders) {
    const shipped = await setup(
      `mutation($input: ShipPurchaseOrderInput!) { shipPurchaseOrder(input: $input) { boxes { label demands { prebookNumber prebookLine { lineNo } } } errors { code message } } }`,
      {
        input: {
          purchaseOrder: order.number,
          portOfOrigin: shipping.port ?? null,
          lines: order.lines.map((l: any) => ({ poLine: l.id, boxes: Math.min(l.boxes, shipping.shipAtMost ?? l.boxes) })),
        },
      },
    );
    for (const box of shipped.boxes) boxes.push({ label: box.label, serves: `${box.demands[0].prebookNumber}/${box.demands[0].prebookLine.lineNo}` });
  }
  return { purchaseOrders: bought.purchaseOrders.map((po: any) => po.number), boxes };
}

export async function stage(specs: PrebookSpec[], shipping: Parameters<typeof buyAndShip>[1] = {}): Promise<Staged> {
  const saved = await prebooks(specs);
  return {
    prebooks: saved,
    ...(await buyAndShip(
      saved.flatMap((p) => p.lineIds),
      shipping,
    )),
  };
}

/** A standalone PO (open market, or reserved for `customer`), shipped and, unless told otherwise, confirmed. */
export async function openStock(
  product: string,
  boxes: number,
  options: { vendor?: string; customer?: string; confirm?: boolean; arrivalDay?: number } = {},
): Promise<string[]> {
  const saved = await setup(
    `mutation($input: [PurchaseOrderInput!]!) { savePurchaseOrders(input: $input) { purchaseOrders { number lines { id } } errors { code message } } }`,
    {
      input: [
        {
          vendor: options.vendor ?? 'ROSAS',
          customer: options.customer ?? null,
          location: 'MIA',
          shipDate: day(0),
          lines: [{ product, boxes, unitCost: '0.40' }],
        },
      ],
    },
  );
  const { number, lines } = saved.purchaseOrders[0];
  const shipped = await setup(`mutation($input: ShipPurchaseOrderInput!) { shipPurchaseOrder(input: $input) { boxes { label } errors { code message } } }`, {
    input: { purchaseOrder: number, arrivalDate: options.arrivalDay != null ? day(options.arrivalDay) : null, lines: [{ poLine: lines[0].id, boxes }] },
  });
  const labels: string[] = shipped.boxes.map((b: any) => b.label);
  if (options.confirm !== false) await setup(`mutation($l: [String!]) { confirmStaging(input: { labels: $l }) { errors { code message } } }`, { l: labels });
  return labels;
}

export const upsertCustomer = (customer: Record<string, unknown>) =>
  setup(`mutation($input: [CustomerInput!]!) { upsertCustomers(input: $input) { errors { code message } } }`, { input: [customer] });

// ---------------------------------------------------------------------------
// The state, read with plain SQL.

export async function rows(sql: string, params: unknown[] = []): Promise<unknown[]> {
  return normalize((await db.query(sql, params)).rows) as unknown[];
}

export async function dump() {
  return {
    invoices: await rows(`
      select i.number, c.code as customer, st.code as ship_to, ca.code as carrier, i.truck_date::text as truck_date, i.customer_po,
             i.status, i.source, i.holiday, i.port_of_origin, i.in_transit, i.has_open_market, i.pick_ticket_printed,
             i.version, i.confirmed_at is not null as confirmed_at_set
        from invoice i join customer c on c.id = i.customer_id left join ship_to st on st.id = i.ship_to_id left join carrier ca on ca.id = i.carrier_id
       order by i.number`),
    invoiceLines: await rows(`
      select i.number as invoice, l.line_no, p.code as product, pb.number as prebook, pl.line_no as prebook_line,
             l.boxes, l.units, l.unit_price::text as unit_price, l.unit_cost::text as unit_cost, l.inventory_type
        from invoice_line l join invoice i on i.id = l.invoice_id join product p on p.id = l.product_id
        left join prebook_line pl on pl.id = l.prebook_line_id left join prebook pb on pb.id = pl.prebook_id
       order by i.number, l.line_no`),
    takes: await rows(`
      select i.number as invoice, l.line_no, b.label, t.units, t.previous_status, t.previous_inventory_type, c.code as previous_customer
        from invoice_line_box t join invoice_line l on l.id = t.invoice_line_id join invoice i on i.id = l.invoice_id
        join box b on b.id = t.box_id left join customer c on c.id = t.previous_customer_id
       order by i.number, l.line_no, b.label, t.units`),
    boxes: await rows(`
      select b.label, b.status, b.inventory_type, c.code as customer, pb.number || '/' || pl.line_no as prebook_line,
             p.code as product, lo.code as location, b.port_of_origin, b.units, b.units_remaining, b.landed_unit_cost::text as landed_unit_cost,
             b.received, b.received_at is not null as received_at_set, b.confirmed_at is not null as confirmed_at_set,
             b.shipped_out_at is not null as shipped_out_at_set
        from box b join product p on p.id = b.product_id join location lo on lo.id = b.location_id
        left join customer c on c.id = b.customer_id left join prebook_line pl on pl.id = b.prebook_line_id left join prebook pb on pb.id = pl.prebook_id
       order by b.label`),
    boxDemands: await rows(`
      select b.label, pb.number || '/' || pl.line_no as prebook_line, d.units
        from box_demand d join box b on b.id = d.box_id join prebook_line pl on pl.id = d.prebook_line_id join prebook pb on pb.id = pl.prebook_id
       order by b.label, pb.number, pl.line_no`),
    billingIssues: await rows(`
      select b.label, bi.code, bi.message, pb.number || '/' || pl.line_no as prebook_line, bi.resolved_at is not null as resolved
        from billing_issue bi join box b on b.id = bi.box_id left join prebook_line pl on pl.id = bi.prebook_line_id left join prebook pb on pb.id = pl.prebook_id
       order by b.label, bi.code, resolved, bi.message`),
    shippingLabels: await rows(`
      select b.label, i.number as invoice, s.text from shipping_label s join box b on b.id = s.box_id join invoice i on i.id = s.invoice_id order by b.label, i.number`),
    purchaseOrders: await rows(`
      select po.number, po.status, c.code as customer from purchase_order po left join customer c on c.id = po.customer_id order by po.number`),
    prebooks: await rows(`select number, status, source, truck_date::text as truck_date, version from prebook order by number`),
    audit: await rows(`select action, entity, count(*)::int as count from audit_event group by 1, 2 order by 1, 2`),
    // Document numbers and labels only: a rolled-back dry run may consume id serials, which stay out.
    sequences: await rows(
      `select sequencename, last_value::text from pg_sequences where schemaname = 'public' and sequencename in ('invoice_number_seq', 'box_label_seq', 'prebook_number_seq', 'purchase_order_number_seq') order by 1`,
    ),
  };
}

/** A dry run must return its result and write nothing. */
export async function writesNothing<T>(work: () => Promise<T>): Promise<T> {
  const before = await dump();
  const result = await work();
  expect(await dump()).toEqual(before);
  return result;
}

/** Derived values only GraphQL shows (totals, GPM, what prebook lines billed), sorted by natural keys. */
export async function derived() {
  // One query each (together they pass the server's query-cost limit).
  const read = async (query: string) => Object.values(await t.ok(`{ ${query} }`))[0] as any;
  const data = {
    invoices: await read(
      `invoices(first: 500) { nodes { number status total cost gpmPercent pricePending lines { lineNo amount cost gpmPercent labels takes { label units } } } }`,
    ),
    prebooks: await read(`prebooks(first: 500) { nodes { number status source standingOrderNumber lines { lineNo sellBy ordered purchased billed needed } } }`),
    open: await read(`billingIssues(first: 500) { totalCount nodes { label code prebookNumber customer { code } message } }`),
    resolved: await read(`billingIssues(filter: { resolved: true }, first: 500) { totalCount nodes { label code prebookNumber customer { code } message } }`),
    inventory: await read(
      `inventory(first: 500) { totalCount nodes { label inventoryType customer { code } unitsRemaining received prebookNumber demands { prebookNumber units } } }`,
    ),
    staging: await read(`staging(first: 500) { totalCount nodes { label received overdue demands { prebookNumber units } } }`),
  };
  const by = (key: string) => (a: any, b: any) => String(a[key]).localeCompare(String(b[key]));
  const issues = (list: any[]) =>
    [...list].sort((a, b) => a.label.localeCompare(b.label) || a.code.localeCompare(b.code) || a.message.localeCompare(b.message));
  return normalize({
    invoices: [...data.invoices.nodes].sort(by('number')),
    prebooks: [...data.prebooks.nodes].sort(by('number')),
    openIssues: { totalCount: data.open.totalCount, nodes: issues(data.open.nodes) },
    resolvedIssues: { totalCount: data.resolved.totalCount, nodes: issues(data.resolved.nodes) },
    inventory: { totalCount: data.inventory.totalCount, nodes: [...data.inventory.nodes].sort(by('label')) },
    staging: { totalCount: data.staging.totalCount, nodes: [...data.staging.nodes].sort(by('label')) },
  });
}
