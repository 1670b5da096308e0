// Which invoice line a row of the Credits sheet credits: pure, over the invoice's lines.

/** An invoice line as the sheet names it: by its product, or by its line number. */
export interface InvoiceLineChoice {
  id: number;
  lineNo: number;
  productCode: string;
  productName: string;
}

export type LineRefusal = { code: 'UNKNOWN_PRODUCT' | 'AMBIGUOUS_PRODUCT' | 'NOT_FOUND'; message: string };

const LINE_NUMBER = /^line\s*#?\s*(\d+)$/i;

function listed(lines: readonly InvoiceLineChoice[]): string {
  return lines.map((line) => `line ${line.lineNo} ${line.productCode}`).join(', ');
}

/**
 * The invoice line a sheet line credits: the id a pull wrote (kept while the row's product is still
 * that line's product), else the line of its product (code or exact name, any case) on the invoice,
 * else `line N`. A product on several lines of the invoice is refused, naming them, rather than guessed.
 */
export function resolveCreditLine(
  invoiceNumber: string,
  lines: readonly InvoiceLineChoice[],
  sheet: { invoiceLine?: string | null; product?: string | null },
): number | LineRefusal {
  const product = sheet.product?.trim() ?? '';
  const wanted = product.toUpperCase();
  const matches = (line: InvoiceLineChoice) => line.productCode.toUpperCase() === wanted || line.productName.toUpperCase() === wanted;
  if (sheet.invoiceLine != null) {
    const pulled = lines.find((line) => String(line.id) === String(sheet.invoiceLine).trim());
    if (pulled && (!product || matches(pulled) || Number(LINE_NUMBER.exec(product)?.[1]) === pulled.lineNo)) return pulled.id;
    if (!product) return { code: 'NOT_FOUND', message: `${invoiceNumber} has no invoice line ${String(sheet.invoiceLine)}: type the product` };
  }
  const byNumber = LINE_NUMBER.exec(product);
  if (byNumber) {
    const line = lines.find((l) => l.lineNo === Number(byNumber[1]));
    return line?.id ?? { code: 'NOT_FOUND', message: `${invoiceNumber} has no line ${byNumber[1]} (its lines: ${listed(lines)})` };
  }
  const found = lines.filter(matches);
  if (found.length === 1) return found[0].id;
  if (found.length > 1)
    return {
      code: 'AMBIGUOUS_PRODUCT',
      message: `${product} is on ${found.length} lines of ${invoiceNumber} (${listed(found)}): type "line ${found[0].lineNo}" or the line you mean instead of the product`,
    };
  return { code: 'UNKNOWN_PRODUCT', message: `${product} is not on ${invoiceNumber} (its lines: ${listed(lines) || 'none'})` };
}
