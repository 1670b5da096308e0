import DataLoader from 'dataloader';
import type { RequestContext } from '../../common/request-context';
import type { InvoiceLineModel } from './invoice-lines.loader';
import { selectTakesOfLines } from './invoice.repository';

/** A box (or some of its units) on an invoice line, as clients read it. */
export interface TakeView {
  label: string;
  units: number;
}

const loaders = new WeakMap<RequestContext['loaders'], DataLoader<number, TakeView[]>>();

/**
 * The takes of an invoice line: from the line when a mutation loaded them, else read for every line
 * of the request at once, label and units only. Lists do not load them: a page of 500 invoices of a
 * large wholesaler holds 100,000 boxes, which only a client that asks for labels should pay for.
 */
export function takesOfLine(ctx: RequestContext, line: InvoiceLineModel): TakeView[] | Promise<TakeView[]> {
  if (line.takes?.isInitialized()) return line.takes.getItems().map((take) => ({ label: take.box.label, units: take.units }));
  let loader = loaders.get(ctx.loaders);
  if (!loader) {
    loader = new DataLoader<number, TakeView[]>(async (lineIds) => {
      const rows = await selectTakesOfLines(ctx.em, lineIds);
      const byLine = new Map<number, TakeView[]>(lineIds.map((id) => [id, []]));
      for (const row of rows) byLine.get(Number(row.line_id))!.push({ label: row.label, units: Number(row.units) });
      return lineIds.map((id) => byLine.get(id)!);
    });
    loaders.set(ctx.loaders, loader);
  }
  return loader.load(line.id);
}
