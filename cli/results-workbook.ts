// Where results go when they cannot go back into the file that was read: a CSV file (results need a
// workbook), or a workbook that could not be saved after the server saved its documents.
import path from 'node:path';

/** `orders.csv` and `orders.xlsx` → `orders (results).xlsx`, beside the file. */
export function resultsPathFor(file: string): string {
  const { dir, name } = path.parse(file);
  return path.join(dir, `${name} (results).xlsx`);
}
