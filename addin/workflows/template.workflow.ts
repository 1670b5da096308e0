// New sheet: a table with the contract's columns and drop-downs from the server's master data.
import { MASTER_DATA } from '../api/documents';
import { YES_NO_COLUMNS } from '../sheets/cells';
import { PAYMENT_METHODS } from '../sheets/payments.sheet';
import type { TableName } from '../sheets/tables';
import type { Outcome, TemplateLists, WorkflowContext } from './table-io';

interface MasterData {
  customers: { nodes: Array<{ code: string; shipTos: Array<{ code: string }> }> };
  carriers: { nodes: Array<{ code: string }> };
  products: { nodes: Array<{ code: string }> };
  vendors: { nodes: Array<{ code: string }> };
  boxTypes: { nodes: Array<{ code: string }> };
  locations: { nodes: Array<{ code: string }> };
}

/** The Yes/No drop-down of every yes/no column (Holiday, Confirm): no server needed. */
export function yesNoLists(): Record<string, string[]> {
  return Object.fromEntries(YES_NO_COLUMNS.map((column) => [column, ['Yes', 'No']]));
}

/** The drop-down lists of every table, from master data; Ship To per customer for the dependent list; Yes/No for yes/no columns. */
export async function templateLists(ctx: Pick<WorkflowContext, 'api'>): Promise<TemplateLists> {
  const data = await ctx.api.request<MasterData>(MASTER_DATA);
  const codes = (list: { nodes: Array<{ code: string }> }) => list.nodes.map((n) => n.code);
  return {
    columns: {
      Customer: codes(data.customers),
      'Ship To': [...new Set(data.customers.nodes.flatMap((c) => c.shipTos.map((s) => s.code)))],
      Carrier: codes(data.carriers),
      Product: codes(data.products),
      Vendor: codes(data.vendors),
      'Box Type': codes(data.boxTypes),
      Location: codes(data.locations),
      'Sell By': ['BOX', 'UNIT'],
      Kind: ['QUANTITY', 'PRICE', 'AMOUNT'],
      Method: [...PAYMENT_METHODS],
      ...yesNoLists(),
    },
    shipTosByCustomer: Object.fromEntries(data.customers.nodes.map((c) => [c.code, c.shipTos.map((s) => s.code)])),
  };
}

export async function newTemplate(ctx: WorkflowContext, table: TableName): Promise<Outcome> {
  await ctx.tables.create(table, await templateLists(ctx));
  return { intent: 'success', text: `A ${table} table is ready, with drop-down lists from the server's master data.`, table, problems: [] };
}

/** The name of the named range holding a customer's ship-tos: letters, digits and _ only, as Excel names allow. */
export function shipToRangeName(customer: string): string {
  return `ShipTo_${customer.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`;
}

/** The list formula of the dependent Ship To drop-down, for the row of `customerCell` (relative, e.g. C2). */
export function shipToListFormula(customerCell: string): string {
  return `INDIRECT("ShipTo_"&UPPER(SUBSTITUTE(SUBSTITUTE(SUBSTITUTE(${customerCell},"-","_")," ","_"),".","_")))`;
}
