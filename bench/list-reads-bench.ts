// List reads in the benchmark: a page of prebooks and a page of invoices with their lines, as the task
// pane and the sheet tool pull them, against an empty request measured in the same run.
import { graphql } from './bench-client';
import { customerCode, FARMS, isoDate, productCode, shipAll, UNITS_PER_BOX } from './dataset';
import type { Figure } from './figures';

export interface ListReadRow {
  step: string;
  items: number;
  lines: number;
  /** Median of the timed runs. */
  seconds: number;
}

const PREBOOKS = 100;
const LINES = 10;
const RUNS = 15;

const EMPTY = `{ me { role } }`;
/** The task pane's and the sheet tool's pulls (addin/api/documents.ts), lines and all. */
const PREBOOK_PAGE = `query($first: Int) { prebooks(first: $first) {
  nodes { number version status customer { code } shipTo { code } carrier { code } truckDate customerPo holiday
    lines { id lineNo product { code } sellBy boxType { code } boxes unitsPerBox units price cost vendor { code } vendorCost } }
  pageInfo { hasNextPage endCursor } totalCount } }`;
const INVOICE_PAGE = `query($first: Int) { invoices(first: $first) {
  nodes { number customer { code } shipTo { code } carrier { code } truckDate customerPo status pickTicketPrinted total cost gpmPercent
    lines { product { code } boxes units unitPrice amount unitCost gpmPercent } }
  pageInfo { hasNextPage endCursor } totalCount } }`;
/** A richer read: quantities purchased and billed, labels, the prebook lines billed. */
const RICH_PREBOOK_PAGE = `query($first: Int) { prebooks(first: $first) { nodes { number customer { code name shipTos { code } } carrier { code }
  lines { id product { code name } boxType { code } vendor { code } ordered purchased billed needed lockedByPo } } } }`;
const RICH_INVOICE_PAGE = `query($first: Int) { invoices(first: $first) { nodes { number total cost customer { code name } shipTo { code }
  lines { product { code } boxes units unitPrice labels prebookLine { prebookNumber ordered billed } } } } }`;

/** 100 prebooks of 10 lines (one per customer), bought from the farms, shipped and confirmed: an invoice each. */
async function buildPages(url: string, token: string): Promise<void> {
  const truckDate = isoDate(4);
  const prebooks = Array.from({ length: PREBOOKS }, (_, p) => ({
    customer: customerCode(p),
    carrier: p % 3 === 0 ? 'FEDEX' : 'ARMELLINI',
    truckDate,
    customerPo: `LIST-${p}`,
    lines: Array.from({ length: LINES }, (_, l) => ({
      product: productCode((p + l) % 40),
      boxes: 1,
      unitsPerBox: UNITS_PER_BOX,
      price: (0.7 + (l % 7) * 0.05).toFixed(2),
      vendor: FARMS[(p + l) % FARMS.length],
      vendorCost: '0.40',
    })),
  }));
  const saved = await graphql(url, token, `mutation($i: [PrebookInput!]!) { savePrebooks(input: $i) { errors { message } } }`, { i: prebooks });
  if (saved.savePrebooks.errors.length) throw new Error(JSON.stringify(saved.savePrebooks.errors.slice(0, 3)));
  const bought = await graphql(
    url,
    token,
    `mutation($i: CreatePurchaseOrdersFromPrebooksInput!) { createPurchaseOrdersFromPrebooks(input: $i) { purchaseOrders { number } errors { message } } }`,
    { i: { location: 'MIA', filter: { truckDateFrom: truckDate, truckDateTo: truckDate } } },
  );
  if (bought.createPurchaseOrdersFromPrebooks.errors.length) throw new Error(JSON.stringify(bought.createPurchaseOrdersFromPrebooks.errors.slice(0, 3)));
  const numbers: string[] = bought.createPurchaseOrdersFromPrebooks.purchaseOrders.map((po: { number: string }) => po.number);
  await shipAll(url, token, numbers);
  const confirmed = await graphql(url, token, `mutation($p: [String!]) { confirmStaging(input: { purchaseOrders: $p }) { errors { message } } }`, {
    p: numbers,
  });
  if (confirmed.confirmStaging.errors.length) throw new Error(JSON.stringify(confirmed.confirmStaging.errors.slice(0, 3)));
}

/** The median of RUNS timed requests, after two untimed ones (the first warms the server up). */
async function medianSeconds(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<{ seconds: number; data: any }> {
  let data: any;
  for (let i = 0; i < 2; i++) data = await graphql(url, token, query, variables);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    data = await graphql(url, token, query, variables);
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  times.sort((a, b) => a - b);
  return { seconds: times[Math.floor(RUNS / 2)], data };
}

export async function benchListReads(url: string, token: string): Promise<ListReadRow[]> {
  await buildPages(url, token);
  const rows: ListReadRow[] = [];
  const empty = await medianSeconds(url, token, EMPTY, {});
  rows.push({ step: 'empty request { me { role } }', items: 0, lines: 0, seconds: empty.seconds });
  const pages: Array<[string, string, 'prebooks' | 'invoices', number]> = [
    ['prebooks(first: 100) with lines (task pane / sheet pull)', PREBOOK_PAGE, 'prebooks', 100],
    ['invoices(first: 50) with lines (task pane / sheet pull)', INVOICE_PAGE, 'invoices', 50],
    ['invoices(first: 100) with lines (task pane / sheet pull)', INVOICE_PAGE, 'invoices', 100],
    ['prebooks(first: 100), quantities purchased and billed', RICH_PREBOOK_PAGE, 'prebooks', 100],
    ['invoices(first: 100), labels and prebook lines', RICH_INVOICE_PAGE, 'invoices', 100],
  ];
  for (const [step, query, list, first] of pages) {
    const { seconds, data } = await medianSeconds(url, token, query, { first });
    const nodes = data[list].nodes as Array<{ lines: unknown[] }>;
    if (nodes.length !== first) throw new Error(`${step}: ${nodes.length} documents, expected ${first}`);
    rows.push({ step, items: nodes.length, lines: nodes.reduce((sum, n) => sum + n.lines.length, 0), seconds });
  }
  return rows;
}

/** The rows as a table: each page's median time against the empty request's. */
export function listReadsTable(rows: ListReadRow[]): string {
  const empty = rows[0].seconds;
  const lines = ['| read | documents | lines | median ms | x empty request |', '|---|---:|---:|---:|---:|'];
  for (const row of rows) {
    lines.push(`| ${row.step} | ${row.items} | ${row.lines} | ${(row.seconds * 1000).toFixed(1)} | ${(row.seconds / empty).toFixed(1)} |`);
  }
  return lines.join('\n');
}

/** The rows as figures for --json: the ratio is the page's median over the empty request's. */
export function listReadFigures(table: string, rows: ListReadRow[]): Figure[] {
  const empty = rows[0].seconds;
  return rows.slice(1).map((row) => ({
    table,
    step: row.step,
    items: row.items,
    seconds: row.seconds,
    baseline: 'empty request { me { role } }',
    baselineSeconds: empty,
    ratio: row.seconds / empty,
  }));
}
