// Pulls of lists into tables: staging, purchase needs, invoices (one row per line), production runs.
import { INVOICES, PRODUCTION_RUNS, PURCHASE_NEEDS, STAGING } from '../api/documents';
import { invoiceRows, type InvoiceSummary } from '../sheets/invoices.sheet';
import { productionRows, type ProductionRunSummary } from '../sheets/production.sheet';
import { pullPages, purchaseOrderRowFromNeed, type Page, type PurchaseNeedRow } from '../sheets/pull';
import { stagingRow, type StagedBox } from '../sheets/staging.sheet';
import type { CellValue, TableName } from '../sheets/tables';
import type { Outcome, WorkflowContext } from './table-io';

interface ListPull<T> {
  query: string;
  field: string;
  table: TableName;
  filter: Record<string, unknown>;
  rows(nodes: T[]): CellValue[][];
  /** Adds below the table's rows instead of replacing them. */
  append?: boolean;
  text(nodes: T[]): string;
}

/**
 * Every page is read first, then the table is written. Cancelled while
 * reading, it writes nothing and says so; once writing has begun it finishes
 * (a half-written table would be worse than a late cancel).
 */
async function pullList<T>(ctx: WorkflowContext, spec: ListPull<T>): Promise<Outcome> {
  await ctx.tables.read(spec.table);
  const pulled = await pullPages<T>(
    async (after) => (await ctx.api.request<Record<string, Page<T>>>(spec.query, { filter: spec.filter, first: 500, after }))[spec.field],
    ctx.onProgress,
    ctx.signal,
  );
  if (pulled.cancelled) {
    return {
      intent: 'warning',
      text: `Pull cancelled: nothing was written, the ${spec.table} table is as it was (${pulled.nodes.length} of ${pulled.totalCount} fetched when it stopped).`,
      table: spec.table,
      problems: [],
    };
  }
  const rows = spec.rows(pulled.nodes);
  if (spec.append) await ctx.tables.append(spec.table, rows, { onProgress: ctx.onProgress });
  else await ctx.tables.replace(spec.table, rows, { onProgress: ctx.onProgress });
  const late = ctx.signal?.aborted ? ' (The cancel came after writing had begun: every row was written.)' : '';
  return { intent: 'success', text: spec.text(pulled.nodes) + late, table: spec.table, problems: [] };
}

const clean = (value?: string | null) => (value?.trim() ? value.trim() : undefined);

export function pullStaging(ctx: WorkflowContext, filter: { purchaseOrder?: string; vendor?: string; customer?: string }): Promise<Outcome> {
  return pullList<StagedBox>(ctx, {
    query: STAGING,
    field: 'staging',
    table: 'Staging',
    filter: { purchaseOrder: clean(filter.purchaseOrder)?.toUpperCase(), vendor: clean(filter.vendor), customer: clean(filter.customer) },
    rows: (boxes) => boxes.map(stagingRow),
    text: (boxes) => `${boxes.length} staged box(es). Mark Confirm on the rows to confirm.`,
  });
}

export function pullNeeds(ctx: WorkflowContext, filter: { customer?: string; vendor?: string }): Promise<Outcome> {
  return pullList<PurchaseNeedRow>(ctx, {
    query: PURCHASE_NEEDS,
    field: 'purchaseNeeds',
    table: 'PurchaseOrders',
    filter: { customer: clean(filter.customer), vendor: clean(filter.vendor) },
    append: true,
    rows: (needs) => needs.map(purchaseOrderRowFromNeed),
    text: (needs) => `${needs.length} need(s) added to PurchaseOrders: add location and ship date, then push.`,
  });
}

export function pullInvoices(ctx: WorkflowContext, filter: { customer?: string; status?: string; from?: string; to?: string }): Promise<Outcome> {
  return pullList<InvoiceSummary>(ctx, {
    query: INVOICES,
    field: 'invoices',
    table: 'Invoices',
    filter: { customer: clean(filter.customer), status: clean(filter.status)?.toUpperCase(), truckDateFrom: clean(filter.from), truckDateTo: clean(filter.to) },
    rows: (invoices) => invoices.flatMap(invoiceRows),
    text: (invoices) => `${invoices.length} invoice(s).`,
  });
}

export function pullProduction(ctx: WorkflowContext, filter: { run?: string; productionCompany?: string; status?: string }): Promise<Outcome> {
  return pullList<ProductionRunSummary>(ctx, {
    query: PRODUCTION_RUNS,
    field: 'productionRuns',
    table: 'Production',
    filter: { number: clean(filter.run)?.toUpperCase(), productionCompany: clean(filter.productionCompany), status: clean(filter.status)?.toUpperCase() },
    rows: (runs) => runs.flatMap(productionRows),
    text: (runs) => `${runs.length} production run(s).`,
  });
}
