// stemline-sheet aging --as-of D --out file.xlsx [--customer CODE]: the receivables aging as a printable workbook.
import { date, type CellError } from '../addin/sheets/cells';
import { agingDocument, type AgingApi } from '../addin/workflows/aging.workflow';

/** Writes the receivables aging on `asOf` (of every customer, or one) as a printable sheet into a new workbook. */
export async function writeAging(
  api: AgingApi,
  options: { asOf: string | undefined; customer: string | undefined; out: string },
  usage: (message: string) => Error,
): Promise<number> {
  const { asOf, customer, out } = options;
  const errors: CellError[] = [];
  const day = asOf ? date(asOf, '--as-of', errors) : null;
  if (!day) throw usage(errors[0]?.message ?? '--as-of is required (YYYY-MM-DD)');
  const { sheet, customers } = await agingDocument(api, day, customer);
  const [{ default: ExcelJS }, { addPrintableSheet }] = await Promise.all([import('exceljs'), import('./printable-workbook')]);
  const workbook = new ExcelJS.Workbook();
  addPrintableSheet(workbook, sheet);
  await workbook.xlsx.writeFile(out);
  console.log(`${out}: receivables aging as of ${day}, ${customers} customer(s).`);
  return 0;
}
