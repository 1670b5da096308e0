// Printable documents in the benchmark: box labels of a 500-box PO through HTTP, as a client prints them.
import { graphql } from './bench-client';
import type { Figure } from './figures';

export interface DocumentRow {
  step: string;
  items: number;
  seconds: number;
  bytes: number;
}

const PO_BOXES = 500;

async function timedGet(url: string, token: string): Promise<{ seconds: number; bytes: number; count: number }> {
  const start = process.hrtime.bigint();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = Buffer.from(await response.arrayBuffer());
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (response.status !== 200) throw new Error(`GET ${url}: HTTP ${response.status} ${body.toString('utf8').slice(0, 300)}`);
  return { seconds, bytes: body.length, count: Number(response.headers.get('x-document-count')) };
}

/**
 * A standalone PO of 500 boxes, shipped, then its labels as PDF (500 pages) and ZPL (500 labels), each
 * fetched three times (the best is kept: the first also warms the server up), and one label alone for the
 * per-label ratio.
 */
export async function benchDocuments(graphqlUrl: string, token: string, vendor: string, product: string): Promise<DocumentRow[]> {
  const serverUrl = graphqlUrl.replace(/\/graphql$/, '');
  const saved = await graphql(
    graphqlUrl,
    token,
    `mutation($i: [PurchaseOrderInput!]!) { savePurchaseOrders(input: $i) { purchaseOrders { number lines { id } } errors { message } } }`,
    {
      i: [{ vendor, location: 'MIA', shipDate: new Date().toISOString().slice(0, 10), lines: [{ product, boxes: PO_BOXES, unitCost: '0.40' }] }],
    },
  );
  if (saved.savePurchaseOrders.errors.length) throw new Error(JSON.stringify(saved.savePurchaseOrders.errors));
  const { number, lines } = saved.savePurchaseOrders.purchaseOrders[0];
  const shipped = await graphql(
    graphqlUrl,
    token,
    `mutation($i: ShipPurchaseOrderInput!) { shipPurchaseOrder(input: $i) { boxes { label } errors { message } } }`,
    {
      i: { purchaseOrder: number, awb: '729-12345675', lines: [{ poLine: lines[0].id, boxes: PO_BOXES }] },
    },
  );
  if (shipped.shipPurchaseOrder.errors.length) throw new Error(JSON.stringify(shipped.shipPurchaseOrder.errors));
  const best = async (path: string) => {
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await timedGet(`${serverUrl}${path}`, token));
    return runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  };
  const one = await best(`/documents/box-labels?labels=${encodeURIComponent(shipped.shipPurchaseOrder.boxes[0].label)}`);
  const pdf = await best(`/documents/box-labels?purchaseOrder=${number}`);
  const zpl = await best(`/documents/box-labels?purchaseOrder=${number}&format=zpl`);
  if (pdf.count !== PO_BOXES || zpl.count !== PO_BOXES) throw new Error(`expected ${PO_BOXES} labels, got ${pdf.count} (PDF) and ${zpl.count} (ZPL)`);
  return [
    { step: 'box label, 1 box (PDF)', items: 1, seconds: one.seconds, bytes: one.bytes },
    { step: `box labels of a ${PO_BOXES}-box PO (PDF, ${PO_BOXES} pages)`, items: PO_BOXES, seconds: pdf.seconds, bytes: pdf.bytes },
    { step: `box labels of a ${PO_BOXES}-box PO (ZPL)`, items: PO_BOXES, seconds: zpl.seconds, bytes: zpl.bytes },
  ];
}

/** The rows as a table: per-label time against one label alone (1.0 = no cost grows faster than the labels). */
export function documentsTable(rows: DocumentRow[]): string {
  const single = rows[0].seconds;
  const lines = ['| step | labels | wall s | labels/s | ms per label | x one label, per label | bytes |', '|---|---:|---:|---:|---:|---:|---:|'];
  for (const row of rows) {
    const perLabel = row.seconds / row.items;
    lines.push(
      `| ${row.step} | ${row.items} | ${row.seconds.toFixed(2)} | ${Math.round(row.items / row.seconds)} | ${(perLabel * 1000).toFixed(2)} | ${(perLabel / single).toFixed(2)} | ${row.bytes.toLocaleString('en-US')} |`,
    );
  }
  return lines.join('\n');
}

/** The rows as figures for --json: the ratio is the per-label time over one label alone, as in the table. */
export function documentFigures(table: string, rows: DocumentRow[]): Figure[] {
  const single = rows[0].seconds;
  return rows.map((row) => ({
    table,
    step: row.step,
    items: row.items,
    seconds: row.seconds,
    baseline: 'one label, per label',
    baselineSeconds: single,
    ratio: row.seconds / row.items / single,
    bytes: row.bytes,
  }));
}
