// stemline-sheet availability --customer C --out file.xlsx: the availability list priced for a customer, as a
// printable workbook (the same sheet the task pane writes).
import { availabilityDocument } from '../addin/workflows/availability.workflow';
import type { Api } from '../addin/workflows/table-io';
import { checkWritable } from './workbook-access';

/** Writes the availability list priced for a customer into a new workbook, one printable sheet. */
export async function writeAvailability(out: string, api: Api, options: { customer?: string; onHandOnly: boolean }): Promise<number> {
  await checkWritable(out);
  const list = await availabilityDocument(api, options);
  const [{ default: ExcelJS }, { addPrintableSheet }] = await Promise.all([import('exceljs'), import('./printable-workbook')]);
  const workbook = new ExcelJS.Workbook();
  addPrintableSheet(workbook, list.sheet);
  await workbook.xlsx.writeFile(out);
  console.log(
    `${out}: the availability list${list.customer ? ` priced for ${list.customer}` : ''}, ${list.lines} product${list.lines === 1 ? '' : 's'}${options.onHandOnly ? ', on hand only' : ''}.`,
  );
  return 0;
}
