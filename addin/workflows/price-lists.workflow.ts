// Pull and push of the PriceLists table: every list's prices and seasons, one row per price.
import { PRICE_LISTS, SAVE_PRICE_LISTS } from '../api/documents';
import { priceListRows, priceListsFromRows, rowOfServerField, type PriceListPush, type PulledPriceList } from '../sheets/price-lists.sheet';
import { excelRow, type RowUpdate, type SheetRow } from '../sheets/tables';
import type { Outcome, RowProblem, WorkflowContext } from './table-io';

/** Writes the lists into the PriceLists table, replacing its rows. */
export async function pullPriceLists(ctx: WorkflowContext, filter: { kind?: string } = {}): Promise<Outcome> {
  await ctx.tables.read('PriceLists');
  const kind = filter.kind?.trim() ? filter.kind.trim().toUpperCase() : null;
  const { priceLists } = await ctx.api.request<{ priceLists: PulledPriceList[] }>(PRICE_LISTS, { kind });
  await ctx.tables.replace('PriceLists', priceLists.flatMap(priceListRows), { onProgress: ctx.onProgress });
  return { intent: 'success', text: `${priceLists.length} price list(s).`, table: 'PriceLists', problems: [] };
}

interface SaveAnswer {
  savePriceLists: { priceLists: Array<{ code: string }>; errors: Array<{ code: string; message: string; row: number | null; field: string | null }> };
}

/**
 * Saves each list named in the table whole (its rows are all its prices and seasons). A list with an
 * error in the sheet is not sent; the server refuses a list whole too. Every row gets OK or ERROR, the
 * message on the row and column at fault.
 */
export async function pushPriceLists(ctx: WorkflowContext): Promise<Outcome> {
  const snapshot = await ctx.tables.read('PriceLists');
  const lists = priceListsFromRows(snapshot.rows);
  const updates = new Map<number, RowUpdate>();
  const problems: RowProblem[] = [];
  const fail = (row: SheetRow, message: string) => {
    updates.set(row.row, { Status: 'ERROR', Message: message });
    problems.push({ row: row.row, sheetRow: excelRow(row), status: 'ERROR', message });
  };
  const refuse = (list: PriceListPush, named: Map<SheetRow, string>) => {
    for (const row of list.rows) {
      const message = named.get(row);
      const first = [...named.keys()][0];
      fail(row, message ?? `not saved: list ${list.input.code} has an error on row ${excelRow(first)}`);
    }
  };
  const send = lists.filter((list) => list.input.code && list.errors.size === 0);
  for (const list of lists.filter((l) => !send.includes(l))) {
    refuse(list, new Map([...list.errors].map(([row, errors]) => [row, errors.map((e) => `${e.column}: ${e.message}`).join('; ')])));
  }
  let saved = 0;
  if (send.length) {
    const answer = await ctx.api.request<SaveAnswer>(SAVE_PRICE_LISTS, { input: send.map((list) => list.input) });
    const refused = new Map<PriceListPush, Map<SheetRow, string>>();
    for (const error of answer.savePriceLists.errors) {
      const list = send[(error.row ?? 1) - 1];
      if (!list) continue;
      const { row, column } = rowOfServerField(list, error.field);
      const named = refused.get(list) ?? new Map<SheetRow, string>();
      named.set(row, [named.get(row), `${column}: ${error.message.replace(/^Row \d+(, [^:]*)?: /, '')}`].filter(Boolean).join('; '));
      refused.set(list, named);
    }
    for (const list of send) {
      const named = refused.get(list);
      if (named) refuse(list, named);
      else {
        saved++;
        for (const row of list.rows) updates.set(row.row, { Status: 'OK', Message: `saved: list ${list.input.code}` });
      }
    }
  }
  await ctx.tables.update('PriceLists', snapshot, updates, { onProgress: ctx.onProgress });
  const refusedCount = lists.length - saved;
  return {
    intent: refusedCount ? (saved ? 'warning' : 'error') : 'success',
    text: `${saved} price list(s) saved${refusedCount ? `, ${refusedCount} refused: see the rows marked ERROR` : ''}.`,
    table: 'PriceLists',
    problems,
  };
}
