// The warehouse scan storm: many scanner guns at once, one box per inbound scan, each scan confirming
// and billing its box (autoBilling ON_INCOMING_SCAN_OR_CONFIRMATION), many boxes for a few hot
// consolidation keys. Measured against raw SQL doing the same per-box work (baseline.ts).
import pg from 'pg';
import { graphql } from './bench-client';
import { CUSTOMERS, customerCode, FARMS, isoDate, PRODUCTS, productCode, shipAll, UNITS_PER_BOX } from './dataset';

/** Customers that hold half the boxes between them. */
export const HOT_CUSTOMERS = 5;

/** Boxes per customer: half the boxes over the first HOT_CUSTOMERS customers, the other half over the rest. */
export function stormBoxesPerCustomer(boxes: number, customers = CUSTOMERS, hot = HOT_CUSTOMERS): number[] {
  const spread = (total: number, over: number) => Array.from({ length: over }, (_, i) => Math.floor(total / over) + (i < total % over ? 1 : 0));
  const hotBoxes = Math.floor(boxes / 2);
  return [...spread(hotBoxes, hot), ...spread(boxes - hotBoxes, customers - hot)];
}

/**
 * One prebook per customer (one consolidation key each: same truck date, carrier and customer PO), its
 * boxes over at most PRODUCTS lines of distinct products.
 */
export function stormPrebooks(boxes: number, truckDate: string) {
  return stormBoxesPerCustomer(boxes)
    .map((count, customer) => {
      const lines = Math.min(PRODUCTS, count);
      return {
        ref: `STORM-${customer}`,
        customer: customerCode(customer),
        carrier: customer % 3 === 0 ? 'FEDEX' : 'ARMELLINI',
        truckDate,
        customerPo: `STORM-${customer}`,
        lines: Array.from({ length: lines }, (_, line) => {
          const product = (customer + line) % PRODUCTS;
          return {
            product: productCode(product),
            boxes: Math.floor(count / lines) + (line < count % lines ? 1 : 0),
            unitsPerBox: UNITS_PER_BOX,
            price: (0.7 + (line % 7) * 0.05).toFixed(2),
            cost: null,
            vendor: FARMS[product % FARMS.length],
            vendorCost: '0.40',
          };
        }),
      };
    })
    .filter((prebook) => prebook.lines.length > 0);
}

/** The storm's prebooks, bought and shipped (every box staged, in transit), and billing switched to inbound scans. */
export async function buildStorm(url: string, token: string, boxes: number): Promise<number> {
  const truckDate = isoDate(5);
  const prebooks = stormPrebooks(boxes, truckDate);
  for (let i = 0; i < prebooks.length; i += 100) {
    const data = await graphql(url, token, `mutation($i: [PrebookInput!]!) { savePrebooks(input: $i) { errors { code message row field } } }`, {
      i: prebooks.slice(i, i + 100),
    });
    if (data.savePrebooks.errors.length) throw new Error(`savePrebooks: ${JSON.stringify(data.savePrebooks.errors.slice(0, 3))}`);
  }
  const bought = await graphql(
    url,
    token,
    `mutation($i: CreatePurchaseOrdersFromPrebooksInput!) { createPurchaseOrdersFromPrebooks(input: $i) { purchaseOrders { number } errors { message } } }`,
    { i: { location: 'MIA', filter: { truckDateTo: truckDate } } },
  );
  if (bought.createPurchaseOrdersFromPrebooks.errors.length) throw new Error(JSON.stringify(bought.createPurchaseOrdersFromPrebooks.errors.slice(0, 3)));
  const shipped = await shipAll(
    url,
    token,
    bought.createPurchaseOrdersFromPrebooks.purchaseOrders.map((po: { number: string }) => po.number),
  );
  const settings = await graphql(
    url,
    token,
    `mutation { updateSettings(input: { autoBilling: "ON_INCOMING_SCAN_OR_CONFIRMATION" }) { settings { autoBilling } errors { message } } }`,
  );
  if (settings.updateSettings.errors.length) throw new Error(JSON.stringify(settings.updateSettings.errors));
  return shipped;
}

/** A small deterministic generator (mulberry32), so every run scans in the same order. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The staged boxes' labels in a fixed shuffled order: the boxes of the hot customers come in mixed with the rest, as off a truck. */
export async function stormLabels(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const labels = (await client.query(`select label from box where status = 'STAGED' order by id`)).rows.map((r: { label: string }) => r.label);
    const next = random(18);
    for (let i = labels.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [labels[i], labels[j]] = [labels[j], labels[i]];
    }
    return labels;
  } finally {
    await client.end();
  }
}

export interface StormRun {
  seconds: number;
  /** Per scan, in ms. */
  latencies: number[];
}

/** `clients` workers taking labels off one queue, each scanning one label at a time; latency of every scan. */
export async function runStorm(clients: number, labels: string[], scan: (label: string) => Promise<void>): Promise<StormRun> {
  let next = 0;
  const latencies: number[] = [];
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < labels.length) {
        const label = labels[next++];
        const began = process.hrtime.bigint();
        await scan(label);
        latencies.push(Number(process.hrtime.bigint() - began) / 1e6);
      }
    }),
  );
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, latencies };
}

/** One inbound scan of one label through HTTP GraphQL; throws unless the box was scanned and billed. */
export function serverScan(url: string, token: string): (label: string) => Promise<void> {
  return async (label) => {
    const data = await graphql(
      url,
      token,
      `mutation($l: [String!]!) { scanBoxes(labels: $l, kind: INBOUND) { results { outcome message billing { invoiceNumbers issue { message } } } } }`,
      { l: [label] },
    );
    const [result] = data.scanBoxes.results;
    if (result.outcome !== 'SCANNED' || result.billing.invoiceNumbers.length !== 1) throw new Error(`scan of ${label}: ${JSON.stringify(result)}`);
  };
}

/** Boxes billed and invoices made, read back from the database, to compare the server with the baseline. */
export async function stormOutcome(
  databaseUrl: string,
): Promise<{ billed: number; invoices: number; lines: number; staged: number; /** md5 of what was billed per customer and prebook line. */ digest: string }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `select (select count(*) from box where status = 'INVOICED')::int as billed, (select count(*) from invoice)::int as invoices,
              (select count(*) from invoice_line)::int as lines,
              (select count(*) from box where status = 'STAGED')::int as staged,
              (select md5(coalesce(string_agg(concat_ws(',', i.customer_id, i.truck_date, i.customer_po, l.prebook_line_id, l.boxes, l.units, l.unit_price), ';'
                                              order by l.prebook_line_id), ''))
                 from invoice_line l join invoice i on i.id = l.invoice_id) as digest`,
    );
    return rows[0];
  } finally {
    await client.end();
  }
}
