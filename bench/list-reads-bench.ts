// List reads in the benchmark: a page of prebooks and a page of invoices with their lines, as the task
// pane and the sheet tool pull them, against an empty request measured in the same run: wall time as a
// client sees it, and the server's CPU per request (from /proc, steadier on a shared machine). The target
// is 5x the empty request. Floor rows show what graphql-js alone takes to execute the same query on the
// page's finished answer (default resolvers, then JSON): what no server on this stack can go below.
import { makeExecutableSchema } from '@graphql-tools/schema';
import { execute, parse } from 'graphql';
import { loadTypeDefs } from '../server/src/app';
import { DateScalar, DateTimeScalar, DecimalScalar, JsonScalar } from '../server/src/common/scalars';
import { cpuMs } from '../test/support/proc-stat';
import { graphql } from './bench-client';
import { customerCode, FARMS, isoDate, productCode, shipAll, UNITS_PER_BOX } from './dataset';
import type { Figure } from './figures';

export interface ListReadRow {
  step: string;
  items: number;
  lines: number;
  /** Median of the timed runs; null for a floor row (no request). */
  seconds: number | null;
  /** The server's CPU per request (user + system, ms), when the server's pid is known; a floor row's own CPU per execution. */
  serverCpuMs?: number;
}

/** The target of a page with its lines: at most this many times an empty request's server time. */
export const TARGET_RATIO = 5;
/** The empty request's server CPU is read over this many requests: /proc counts in 10 ms ticks. */
const EMPTY_CPU_RUNS = 400;
/** Floor executions per page (CPU of this process). */
const FLOOR_RUNS = 100;

const PREBOOKS = 100;
const LINES = 10;
const RUNS = 15;

export const EMPTY = `{ me { role } }`;
/** The task pane's and the sheet tool's pulls (addin/api/documents.ts), lines and all. */
export const PREBOOK_PAGE = `query($first: Int) { prebooks(first: $first) {
  nodes { number version status customer { code } shipTo { code } carrier { code } truckDate customerPo holiday
    lines { id lineNo product { code } sellBy boxType { code } boxes unitsPerBox units price cost vendor { code } vendorCost } }
  pageInfo { hasNextPage endCursor } totalCount } }`;
export const INVOICE_PAGE = `query($first: Int) { invoices(first: $first) {
  nodes { number customer { code } shipTo { code } carrier { code } truckDate customerPo status pickTicketPrinted total cost gpmPercent
    lines { product { code } boxes units unitPrice amount unitCost gpmPercent } }
  pageInfo { hasNextPage endCursor } totalCount } }`;
/** A richer read: quantities purchased and billed, labels, the prebook lines billed. */
const RICH_PREBOOK_PAGE = `query($first: Int) { prebooks(first: $first) { nodes { number customer { code name shipTos { code } } carrier { code }
  lines { id product { code name } boxType { code } vendor { code } ordered purchased billed needed lockedByPo } } } }`;
const RICH_INVOICE_PAGE = `query($first: Int) { invoices(first: $first) { nodes { number total cost customer { code name } shipTo { code }
  lines { product { code } boxes units unitPrice labels prebookLine { prebookNumber ordered billed } } } } }`;

/** 100 prebooks of 10 lines (one per customer), bought from the farms, shipped and confirmed: an invoice each. */
export async function buildPages(url: string, token: string): Promise<void> {
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

/** The median of RUNS timed requests, after two untimed ones (the first warms the server up); the server's CPU per request over them. */
async function medianSeconds(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown>,
  serverPid?: number,
): Promise<{ seconds: number; serverCpuMs?: number; data: any }> {
  let data: any;
  for (let i = 0; i < 2; i++) data = await graphql(url, token, query, variables);
  const times: number[] = [];
  const cpuBefore = serverPid === undefined ? 0 : cpuMs(serverPid);
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    data = await graphql(url, token, query, variables);
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  const serverCpuMs = serverPid === undefined ? undefined : (cpuMs(serverPid) - cpuBefore) / RUNS;
  times.sort((a, b) => a - b);
  return { seconds: times[Math.floor(RUNS / 2)], serverCpuMs, data };
}

/** The server's CPU per request over `runs` requests (the empty request's, too short for RUNS to measure in 10 ms ticks). */
async function serverCpuPerRequest(url: string, token: string, query: string, serverPid: number, runs: number): Promise<number> {
  const before = cpuMs(serverPid);
  for (let i = 0; i < runs; i++) await graphql(url, token, query, {});
  return (cpuMs(serverPid) - before) / runs;
}

/**
 * The floor of a page: graphql-js alone executing the page's query on its finished answer (every field
 * by the default resolver, scalars serialized as the server does) and writing it as JSON, CPU ms per
 * execution in this process. No data access, ORM, HTTP, authorization or Apollo: what remains of a
 * request once everything the server does before and around graphql's execution is gone.
 */
export function executionFloorMs(query: string, variables: Record<string, unknown>, data: unknown): number {
  const schema = makeExecutableSchema({
    typeDefs: loadTypeDefs(),
    resolvers: { Decimal: DecimalScalar, Date: DateScalar, DateTime: DateTimeScalar, JSON: JsonScalar },
  });
  const document = parse(query);
  const run = () => {
    const result = execute({ schema, document, rootValue: data, variableValues: variables });
    if ('then' in result || result.errors?.length) throw new Error(`floor execution failed: ${JSON.stringify((result as { errors?: unknown }).errors)}`);
    return JSON.stringify(result);
  };
  const expected = JSON.stringify({ data });
  if (run() !== expected) throw new Error("the floor execution does not give the page's answer");
  for (let i = 0; i < 20; i++) run();
  const before = process.cpuUsage();
  for (let i = 0; i < FLOOR_RUNS; i++) run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / FLOOR_RUNS;
}

/** The pages measured, with the server's pid for its CPU per request (wall time only without it). */
export async function benchListReads(url: string, token: string, serverPid?: number): Promise<ListReadRow[]> {
  await buildPages(url, token);
  const rows: ListReadRow[] = [];
  const empty = await medianSeconds(url, token, EMPTY, {});
  const emptyCpu = serverPid === undefined ? undefined : await serverCpuPerRequest(url, token, EMPTY, serverPid, EMPTY_CPU_RUNS);
  rows.push({ step: 'empty request { me { role } }', items: 0, lines: 0, seconds: empty.seconds, serverCpuMs: emptyCpu });
  const pages: Array<[string, string, 'prebooks' | 'invoices', number, boolean]> = [
    ['prebooks(first: 100) with lines (task pane / sheet pull)', PREBOOK_PAGE, 'prebooks', 100, true],
    ['invoices(first: 50) with lines (task pane / sheet pull)', INVOICE_PAGE, 'invoices', 50, true],
    ['invoices(first: 100) with lines (task pane / sheet pull)', INVOICE_PAGE, 'invoices', 100, false],
    ['prebooks(first: 100), quantities purchased and billed', RICH_PREBOOK_PAGE, 'prebooks', 100, false],
    ['invoices(first: 100), labels and prebook lines', RICH_INVOICE_PAGE, 'invoices', 100, false],
  ];
  const answers: Array<{ step: string; query: string; first: number; data: unknown; items: number; lines: number }> = [];
  for (const [step, query, list, first, floor] of pages) {
    const { seconds, serverCpuMs, data } = await medianSeconds(url, token, query, { first }, serverPid);
    const nodes = data[list].nodes as Array<{ lines: unknown[] }>;
    if (nodes.length !== first) throw new Error(`${step}: ${nodes.length} documents, expected ${first}`);
    const lines = nodes.reduce((sum, n) => sum + n.lines.length, 0);
    rows.push({ step, items: nodes.length, lines, seconds, serverCpuMs });
    if (floor) answers.push({ step, query, first, data, items: nodes.length, lines });
  }
  // The floors once the requests are done: seconds of work between two requests would outlast the
  // server's keep-alive, and the next request would find its connection closed.
  const floors = answers.map(({ step, query, first, data, items, lines }) => ({
    step: `floor: graphql-js alone executing ${step.replace(/ \(.*\)$/, '')} on its finished answer, then JSON`,
    items,
    lines,
    seconds: null,
    serverCpuMs: executionFloorMs(query, { first }, data),
  }));
  return [...rows, ...floors];
}

/** A ratio to the empty request, marked against the target where one applies. */
function ratioCell(value: number | undefined, base: number | null | undefined, target: boolean): string {
  if (value === undefined || !base) return '';
  const ratio = value / base;
  return `${ratio.toFixed(1)}${target ? (ratio <= TARGET_RATIO ? ' (met)' : ' (over)') : ''}`;
}

/** Whether a row is one of the two pages the target is stated for. */
const targeted = (row: ListReadRow) => row.seconds !== null && /^(prebooks\(first: 100\)|invoices\(first: 50\)) with lines/.test(row.step);

/** The rows as a table: each page's median time and the server's CPU per request, against the empty request's. */
export function listReadsTable(rows: ListReadRow[]): string {
  const [empty] = rows;
  const lines = [
    `Target: a page of prebooks (100) or invoices (50) with their lines under ${TARGET_RATIO}x the empty request's server time.`,
    '',
    '| read | documents | lines | median ms | x empty request | server CPU ms | x empty request (CPU) |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    const ms = (value: number | null | undefined, digits: number) => (value == null ? '' : (value * (digits === 1 ? 1000 : 1)).toFixed(digits === 1 ? 1 : 2));
    lines.push(
      `| ${row.step} | ${row.items} | ${row.lines} | ${ms(row.seconds, 1)} | ${ratioCell(row.seconds ?? undefined, empty.seconds, targeted(row))} | ${ms(row.serverCpuMs, 2)} | ${ratioCell(
        row.serverCpuMs,
        empty.serverCpuMs,
        targeted(row) || row.seconds === null,
      )} |`,
    );
  }
  return lines.join('\n');
}

/** The rows as figures for --json: the ratio is the page's median over the empty request's; the CPU ratio likewise. */
export function listReadFigures(table: string, rows: ListReadRow[]): Figure[] {
  const [empty] = rows;
  return rows.slice(1).map((row) => ({
    table,
    step: row.step,
    items: row.items,
    // A floor row's seconds are its CPU per execution: it makes no request.
    ...(row.seconds === null
      ? { seconds: row.serverCpuMs! / 1000 }
      : { seconds: row.seconds, baseline: 'empty request { me { role } }', baselineSeconds: empty.seconds!, ratio: row.seconds / empty.seconds! }),
    ...(row.serverCpuMs !== undefined && empty.serverCpuMs
      ? {
          serverCpuMs: row.serverCpuMs,
          serverCpuMsPerEmptyRequest: empty.serverCpuMs,
          cpuRatio: row.serverCpuMs / empty.serverCpuMs,
          targetRatio: TARGET_RATIO,
        }
      : {}),
  }));
}
