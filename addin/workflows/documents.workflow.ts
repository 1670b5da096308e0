// Prebooks, PurchaseOrders and Credits: push, pull by filter, and refresh of the documents a push found stale.
import { CREDITS, PAYMENTS, PREBOOKS, PURCHASE_ORDERS, SAVE_CREDITS, SAVE_PAYMENTS, SAVE_PREBOOKS, SAVE_PURCHASE_ORDERS } from '../api/documents';
import type { ParseOptions } from '../sheets/cells';
import { creditRows, creditSheet, creditSheetFor } from '../sheets/credits.sheet';
import { assignDocumentIds, type DocumentSheetSpec } from '../sheets/documents';
import { paymentRows, paymentSheet, paymentSheetFor } from '../sheets/payments.sheet';
import { prebookSheet, prebookSheetFor, truckDateWarning } from '../sheets/prebooks.sheet';
import { purchaseOrderSheet, purchaseOrderSheetFor } from '../sheets/purchase-orders.sheet';
import { pullPages, type Page } from '../sheets/pull';
import { pushRows, type PushAnswer } from '../sheets/push';
import { allColumns, isBlank, type CellValue, type RowUpdate, type TableName } from '../sheets/tables';
import { pushOutcome } from './outcome';
import { parseOptionsOf, type PushChoices } from './sheet-settings';
import { isUnknownReference, type Outcome, type TableSnapshot, type WorkflowContext } from './table-io';

export type DocumentKind = 'prebooks' | 'purchaseOrders' | 'credits' | 'payments';

export interface PulledPrebook {
  number: string;
  version: number;
  status: string;
  customer: { code: string };
  shipTo: { code: string } | null;
  carrier: { code: string };
  truckDate: string;
  customerPo: string | null;
  holiday: boolean;
  lines: Array<{
    id: string;
    lineNo: number;
    product: { code: string };
    sellBy: string;
    boxType: { code: string };
    boxes: number | null;
    unitsPerBox: number;
    units: number;
    price: string | null;
    /** Where the price came from (LINE, CUSTOMER_LIST, ...); null while pending. */
    priceSource?: string | null;
    cost: string | null;
    vendor: { code: string } | null;
    vendorCost: string | null;
  }>;
}

export interface PulledPurchaseOrder {
  number: string;
  version: number;
  status: string;
  vendor: { code: string };
  customer: { code: string } | null;
  location: { code: string };
  shipDate: string;
  portOfOrigin: string;
  lines: Array<{
    id: string;
    lineNo: number;
    product: { code: string };
    boxType: { code: string };
    boxes: number;
    unitsPerBox: number;
    unitCost: string;
    prebookLinks: Array<{ prebookNumber: string }>;
  }>;
}

const money = (value: string | null) => (value === null ? null : Number(value));
const pulledMessage = (status: string) => (status === 'OPEN' ? 'pulled from the server' : `pulled from the server: ${status}`);

/** A prebook as rows of the Prebooks table (standard column order), one per line, with its number, version and line ids. */
export function prebookRows(prebook: PulledPrebook): CellValue[][] {
  const row: Record<string, CellValue>[] = prebook.lines.map((line) => ({
    'Prebook #': prebook.number,
    Customer: prebook.customer.code,
    'Ship To': prebook.shipTo?.code ?? null,
    Carrier: prebook.carrier.code,
    'Truck Date': prebook.truckDate,
    'Customer PO': prebook.customerPo,
    Holiday: prebook.holiday ? 'Yes' : null,
    Product: line.product.code,
    'Sell By': line.sellBy,
    'Box Type': line.boxType.code,
    Boxes: line.sellBy === 'BOX' ? line.boxes : null,
    'Units/Box': line.unitsPerBox,
    Units: line.sellBy === 'UNIT' ? line.units : null,
    Price: money(line.price),
    'Price Source': line.priceSource ?? null,
    Cost: money(line.cost),
    Vendor: line.vendor?.code ?? null,
    'Vendor Cost': money(line.vendorCost),
    Status: 'OK',
    Message: pulledMessage(prebook.status),
    Version: prebook.version,
    'Line Id': line.id,
  }));
  return row.map((values) => allColumns('Prebooks').map((column) => values[column] ?? null));
}

/** A purchase order as rows of the PurchaseOrders table (standard column order), one per line. */
export function purchaseOrderRows(order: PulledPurchaseOrder): CellValue[][] {
  return order.lines.map((line) => {
    const values: Record<string, CellValue> = {
      'PO #': order.number,
      Vendor: order.vendor.code,
      Customer: order.customer?.code ?? null,
      Location: order.location.code,
      'Ship Date': order.shipDate,
      Port: order.portOfOrigin,
      Product: line.product.code,
      'Box Type': line.boxType.code,
      Boxes: line.boxes,
      'Units/Box': line.unitsPerBox,
      'Unit Cost': money(line.unitCost),
      'Prebook #': line.prebookLinks[0]?.prebookNumber ?? null,
      Status: 'OK',
      Message: pulledMessage(order.status),
      Version: order.version,
    };
    return allColumns('PurchaseOrders').map((column) => values[column] ?? null);
  });
}

const KINDS = {
  prebooks: {
    spec: prebookSheet as DocumentSheetSpec<unknown, unknown>,
    specFor: prebookSheetFor as (options: ParseOptions) => DocumentSheetSpec<unknown, unknown>,
    mutation: SAVE_PREBOOKS,
    field: 'savePrebooks',
    query: PREBOOKS,
    list: 'prebooks',
    rows: prebookRows as (node: unknown) => CellValue[][],
  },
  purchaseOrders: {
    spec: purchaseOrderSheet as DocumentSheetSpec<unknown, unknown>,
    specFor: purchaseOrderSheetFor as (options: ParseOptions) => DocumentSheetSpec<unknown, unknown>,
    mutation: SAVE_PURCHASE_ORDERS,
    field: 'savePurchaseOrders',
    query: PURCHASE_ORDERS,
    list: 'purchaseOrders',
    rows: purchaseOrderRows as (node: unknown) => CellValue[][],
  },
  credits: {
    spec: creditSheet as DocumentSheetSpec<unknown, unknown>,
    specFor: creditSheetFor as (options: ParseOptions) => DocumentSheetSpec<unknown, unknown>,
    mutation: SAVE_CREDITS,
    field: 'saveCredits',
    query: CREDITS,
    list: 'credits',
    rows: creditRows as (node: unknown) => CellValue[][],
  },
  payments: {
    spec: paymentSheet as DocumentSheetSpec<unknown, unknown>,
    specFor: paymentSheetFor as (options: ParseOptions) => DocumentSheetSpec<unknown, unknown>,
    mutation: SAVE_PAYMENTS,
    field: 'savePayments',
    query: PAYMENTS,
    list: 'payments',
    rows: paymentRows as (node: unknown) => CellValue[][],
  },
} as const;

/** What a pull of each kind says it pulled. */
const PULLED: Record<DocumentKind, string> = { prebooks: 'prebook(s)', purchaseOrders: 'purchase order(s)', credits: 'credit(s)', payments: 'payment(s)' };

export function tableOf(kind: DocumentKind): TableName {
  return KINDS[kind].spec.table;
}

/** Adds each row's warning (a truck date more than a year ahead) to the Message of a row that went through. */
function withWarnings(updates: Map<number, RowUpdate>, warnings: Map<number, string>): Map<number, RowUpdate> {
  if (warnings.size === 0) return updates;
  return new Map(
    [...updates].map(([row, update]) => {
      const warning = warnings.get(row);
      return [row, warning && update.Status === 'OK' ? { ...update, Message: `${String(update.Message ?? 'saved')}; warning: ${warning}` } : update];
    }),
  );
}

/**
 * Pushes a Prebooks or PurchaseOrders table: documents checked, unchanged ones skipped, the rest sent in keyed chunks; every row gets its Status.
 * Numbers typed as text are read by the company's decimal separator, and truck dates checked against its today, both read from the server first.
 */
export async function pushDocuments(ctx: WorkflowContext, kind: DocumentKind, choices: PushChoices = {}): Promise<Outcome> {
  const { specFor, mutation, field } = KINDS[kind];
  const options = await parseOptionsOf(ctx, choices);
  const spec = specFor(options);
  const snapshot = await ctx.tables.read(spec.table);
  // New documents get their ids, in the workbook, before anything is sent: a retry sends the same ones.
  const ids = assignDocumentIds(snapshot.rows, spec.numberColumn);
  if (ids.size) {
    await ctx.tables.update(spec.table, snapshot, ids);
    await ctx.tables.persist?.();
  }
  const warnings = new Map<number, string>();
  if (kind === 'prebooks')
    for (const row of snapshot.rows) {
      const warning = truckDateWarning(row, options);
      if (warning) warnings.set(row.row, warning);
    }
  let replayed = 0;
  const written = new Set<number>();
  const pushed = await pushRows(spec, snapshot.rows, {
    operation: field,
    signal: ctx.signal,
    onProgress: ctx.onProgress,
    onChunk: ctx.tables.updatesInParts
      ? async (part) => {
          const chunk = withWarnings(part, warnings);
          await ctx.tables.update(spec.table, snapshot, chunk);
          for (const row of chunk.keys()) written.add(row);
        }
      : undefined,
    send: async (input, key) => {
      const answer = (await ctx.api.request<Record<string, PushAnswer & { replayed?: boolean }>>(mutation, { input, key }))[field];
      if (answer.replayed) replayed += input.length;
      return answer;
    },
    // Documents the local checks rejected go to the server as a dry run (nothing written): every error of them in this push.
    check: async (input) => (await ctx.api.request<Record<string, PushAnswer>>(mutation, { input, dryRun: true }))[field],
  });
  const updates = withWarnings(pushed, warnings);
  // The rows not written as their chunk came back (all of them, in Excel).
  const rest = written.size ? new Map([...updates].filter(([row]) => !written.has(row))) : updates;
  await ctx.tables.update(spec.table, snapshot, rest, { onProgress: ctx.onProgress });
  let outcome: Outcome = { ...pushOutcome(spec.table, snapshot, updates), saved: savedDocuments(snapshot, updates, spec.numberColumn) };
  const warned = [...warnings.keys()].filter((row) => updates.get(row)?.Status === 'OK').length;
  if (warned) outcome = { ...outcome, text: `${outcome.text} ${warned} row(s) OK with a warning in Message: a truck date more than a year ahead.` };
  // Sheets made before the Shipments table had an AWB column here; it never shipped anything.
  const awb = snapshot.header.indexOf('AWB');
  if (kind === 'purchaseOrders' && awb >= 0 && snapshot.values.some((cells) => !isBlank(cells[awb]))) {
    outcome = {
      ...outcome,
      intent: outcome.intent === 'success' ? 'warning' : outcome.intent,
      text: `${outcome.text} The AWB column is not read here: record shipments in the Shipments table.`,
    };
  }
  return replayed
    ? {
        ...outcome,
        text: `${outcome.text} The server had already taken ${replayed} of these document(s) from an identical earlier push (a replay): nothing was written twice.`,
      }
    : outcome;
}

/** The documents a push's answer numbered (saved, or found unchanged), in sheet order, with their worksheet rows. */
function savedDocuments(snapshot: TableSnapshot, updates: Map<number, RowUpdate>, numberColumn: string): NonNullable<Outcome['saved']> {
  const saved = new Map<string, number[]>();
  for (const [row, update] of [...updates].sort(([a], [b]) => a - b)) {
    const number = update[numberColumn];
    if (update.Status !== 'OK' || isBlank(number)) continue;
    const rows = saved.get(String(number)) ?? [];
    rows.push((snapshot.headerRow ?? 1) + row);
    saved.set(String(number), rows);
  }
  return [...saved].map(([number, sheetRows]) => ({ number, sheetRows }));
}

export interface DocumentFilter {
  number?: string;
  /** Credits of this invoice. */
  invoice?: string;
  customer?: string;
  vendor?: string;
  status?: string;
  from?: string;
  to?: string;
}

/** The GraphQL filter of a kind: truck dates for prebooks, ship dates for purchase orders. */
function filterFor(kind: DocumentKind, filter: DocumentFilter): Record<string, unknown> {
  const clean = (value?: string) => (value?.trim() ? value.trim() : undefined);
  const common = {
    number: clean(filter.number)?.toUpperCase(),
    customer: clean(filter.customer),
    vendor: clean(filter.vendor),
    status: clean(filter.status)?.toUpperCase(),
  };
  // Payments have no vendor nor invoice; their dates are the days the money was received.
  if (kind === 'payments') return { ...common, vendor: undefined, dateFrom: clean(filter.from), dateTo: clean(filter.to) };
  // Credits have no vendor; their dates are the days they were requested.
  if (kind === 'credits')
    return { ...common, vendor: undefined, invoice: clean(filter.invoice)?.toUpperCase(), dateFrom: clean(filter.from), dateTo: clean(filter.to) };
  return kind === 'prebooks'
    ? { ...common, truckDateFrom: clean(filter.from), truckDateTo: clean(filter.to) }
    : { ...common, shipDateFrom: clean(filter.from), shipDateTo: clean(filter.to) };
}

/**
 * Writes pulled documents into their table: a document already in the table
 * replaces its own rows in place (extra rows removed, new lines added at the
 * end); any other document is added below. Rows of other documents, and the
 * buyer's own columns, are left as they are.
 */
async function mergeDocuments(
  ctx: WorkflowContext,
  table: TableName,
  numberColumn: string,
  documents: Map<string, CellValue[][]>,
): Promise<{ replaced: number; added: number }> {
  const snapshot = await ctx.tables.read(table);
  const columns = allColumns(table);
  const updates = new Map<number, RowUpdate>();
  const remove: number[] = [];
  const append: CellValue[][] = [];
  let replaced = 0;
  for (const [number, fresh] of documents) {
    const existing = snapshot.rows.filter((row) => !isBlank(row.values[numberColumn]) && String(row.values[numberColumn]).trim().toUpperCase() === number);
    if (existing.length) replaced++;
    existing.forEach((row, i) => {
      if (i < fresh.length) updates.set(row.row, { ...Object.fromEntries(columns.map((c, j) => [c, fresh[i][j] ?? null])), Pushed: null });
      else remove.push(row.row);
    });
    append.push(...fresh.slice(existing.length));
  }
  // In place first, then removals (numbers of this snapshot), then additions below whatever is left.
  if (updates.size) await ctx.tables.update(table, snapshot, updates, { onProgress: ctx.onProgress });
  if (remove.length) await ctx.tables.remove(table, remove);
  if (append.length) await ctx.tables.append(table, append, { onProgress: ctx.onProgress });
  return { replaced, added: documents.size - replaced };
}

async function pullNodes<T>(
  ctx: WorkflowContext,
  kind: DocumentKind,
  filter: Record<string, unknown>,
): Promise<{ nodes: T[]; cancelled: boolean; totalCount: number }> {
  const { query, list } = KINDS[kind];
  return pullPages<T>(
    async (after) => (await ctx.api.request<Record<string, Page<T>>>(query, { filter, first: 200, after }))[list],
    ctx.onProgress,
    ctx.signal,
  );
}

/** Pulls prebooks or purchase orders by filter into their table, with number, version and line ids, ready to edit and push again. */
export async function pullDocuments(ctx: WorkflowContext, kind: DocumentKind, filter: DocumentFilter): Promise<Outcome> {
  const { spec, rows } = KINDS[kind];
  await ctx.tables.read(spec.table);
  const pulled = await pullNodes<{ number: string }>(ctx, kind, filterFor(kind, filter));
  if (pulled.cancelled)
    return { intent: 'warning', text: `Pull cancelled: nothing was written, the ${spec.table} table is as it was.`, table: spec.table, problems: [] };
  const documents = new Map(pulled.nodes.map((node) => [node.number, rows(node)]));
  const { replaced, added } = await mergeDocuments(ctx, spec.table, spec.numberColumn, documents);
  const what = PULLED[kind];
  if (documents.size === 0)
    return { intent: 'warning', text: `No ${what} match the filter: the ${spec.table} table is as it was.`, table: spec.table, problems: [] };
  return {
    intent: 'success',
    text: `${documents.size} ${what} pulled: ${replaced} refreshed in place, ${added} added below. ${
      kind === 'payments' ? 'Recorded payments are not edited: add new ones below and push.' : 'Edit them and push.'
    }`,
    table: spec.table,
    problems: [],
  };
}

/** Pulls again only the documents whose rows are STALE; every other row, pushed or not, stays as the buyer left it. */
export async function refreshStale(ctx: WorkflowContext, kind: DocumentKind): Promise<Outcome> {
  const { spec, rows } = KINDS[kind];
  const snapshot = await ctx.tables.read(spec.table);
  const numbers = [
    ...new Set(
      snapshot.rows
        .filter(
          (row) =>
            String(row.values.Status ?? '')
              .trim()
              .toUpperCase() === 'STALE',
        )
        .map((row) =>
          String(row.values[spec.numberColumn] ?? '')
            .trim()
            .toUpperCase(),
        )
        .filter(Boolean),
    ),
  ];
  if (numbers.length === 0)
    return { intent: 'success', text: `No stale rows in the ${spec.table} table: nothing to refresh.`, table: spec.table, problems: [] };
  const documents = new Map<string, CellValue[][]>();
  for (const number of numbers) {
    const pulled = await pullNodes<{ number: string }>(ctx, kind, { number }).catch((error: unknown) => {
      if (isUnknownReference(error)) return { nodes: [] as Array<{ number: string }> };
      throw error;
    });
    const node = pulled.nodes.find((n) => n.number === number);
    if (node) documents.set(number, rows(node));
  }
  await mergeDocuments(ctx, spec.table, spec.numberColumn, documents);
  const missing = numbers.filter((n) => !documents.has(n));
  return {
    intent: missing.length ? 'warning' : 'success',
    text: `${documents.size} stale document(s) refreshed from the server (${[...documents.keys()].join(', ')}): redo your edits on them, then push.${missing.length ? ` Not found: ${missing.join(', ')}.` : ''}`,
    table: spec.table,
    problems: [],
  };
}
