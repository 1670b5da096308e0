// The PriceLists table: one row per price of a list (Season blank) or of one of its seasons. A push saves
// each list named in the table whole: its rows are all its prices and seasons.
import { date, decimal, text, type CellError, type ParseOptions, DEFAULT_PARSE_OPTIONS } from './cells';
import { excelRow, type CellValue, type SheetRow } from './tables';

export interface PulledPriceList {
  code: string;
  prices: Array<{ product: { code: string }; boxType: { code: string } | null; price: string }>;
  seasons: Array<{ name: string; from: string; to: string; prices: Array<{ product: { code: string }; boxType: { code: string } | null; price: string }> }>;
}

const money = (value: string) => Number(value);

/** A list as rows of the PriceLists table (standard column order): its regular prices, then each season's. */
export function priceListRows(list: PulledPriceList): CellValue[][] {
  const row = (season: PulledPriceList['seasons'][number] | null, price: PulledPriceList['prices'][number] | null): CellValue[] => [
    list.code,
    season?.name ?? null,
    season?.from ?? null,
    season?.to ?? null,
    price?.product.code ?? null,
    price?.boxType?.code ?? null,
    price ? money(price.price) : null,
    'OK',
    'pulled from the server',
  ];
  return [
    ...list.prices.map((price) => row(null, price)),
    ...list.seasons.flatMap((season) => (season.prices.length ? season.prices.map((price) => row(season, price)) : [row(season, null)])),
  ];
}

interface PriceInput {
  product: string;
  boxType: string | null;
  price: string;
}

/** One list of the table, as savePriceLists takes it, with the sheet rows each of its parts came from. */
export interface PriceListPush {
  input: { code: string; prices: PriceInput[]; seasons: Array<{ name: string; from: string; to: string; prices: PriceInput[] }> };
  rows: SheetRow[];
  /** The rows of input.prices[i]. */
  priceRows: SheetRow[];
  /** Per season: its first row, and the rows of its prices. */
  seasonRows: Array<{ first: SheetRow; priceRows: SheetRow[] }>;
  /** Errors found in the sheet, by row: a list with any is not sent. */
  errors: Map<SheetRow, CellError[]>;
}

/** Groups the table's rows by list, checking each cell; the lists come in the order of their first row. */
export function priceListsFromRows(rows: SheetRow[], options: ParseOptions = DEFAULT_PARSE_OPTIONS): PriceListPush[] {
  const lists = new Map<string, PriceListPush>();
  const orphans: PriceListPush = { input: { code: '', prices: [], seasons: [] }, rows: [], priceRows: [], seasonRows: [], errors: new Map() };
  for (const row of rows) {
    const v = row.values;
    const errors: CellError[] = [];
    const code = text(v.List)?.toUpperCase() ?? null;
    if (!code) errors.push({ column: 'List', message: 'List is required: the code of the price list' });
    let list = code ? lists.get(code) : orphans;
    if (!list) {
      list = { input: { code: code!, prices: [], seasons: [] }, rows: [], priceRows: [], seasonRows: [], errors: new Map() };
      lists.set(code!, list);
    }
    list.rows.push(row);
    const season = text(v.Season);
    const from = date(v.From, 'From', errors);
    const to = date(v.To, 'To', errors);
    const product = text(v.Product);
    const boxType = text(v['Box Type']);
    const price = decimal(v.Price, 'Price', errors, options);
    if (!season && (from || to)) errors.push({ column: 'Season', message: 'From and To are the dates of a season: name the Season, or clear them' });
    if (season && !from) errors.push({ column: 'From', message: `From is required for season "${season}"` });
    if (season && !to) errors.push({ column: 'To', message: `To is required for season "${season}"` });
    if (product && price === null && !errors.some((e) => e.column === 'Price')) errors.push({ column: 'Price', message: `Price is required for ${product}` });
    if (!product && price !== null) errors.push({ column: 'Product', message: 'Product is required for a price' });
    if (!product && !season) errors.push({ column: 'Product', message: 'Product is required' });
    let target = list.input.prices;
    let targetRows = list.priceRows;
    if (season && from && to) {
      const index = list.input.seasons.findIndex((s) => s.name.toLowerCase() === season.toLowerCase());
      if (index < 0) {
        list.input.seasons.push({ name: season, from, to, prices: [] });
        list.seasonRows.push({ first: row, priceRows: [] });
      } else if (list.input.seasons[index].from !== from || list.input.seasons[index].to !== to) {
        const first = list.seasonRows[index].first;
        errors.push({
          column: 'From',
          message: `season "${season}" is ${list.input.seasons[index].from} to ${list.input.seasons[index].to} on row ${excelRow(first)}: give all its rows the same dates`,
        });
      }
      const at = index < 0 ? list.input.seasons.length - 1 : index;
      target = list.input.seasons[at].prices;
      targetRows = list.seasonRows[at].priceRows;
    }
    if (product && price !== null && !(season && (!from || !to))) {
      target.push({ product, boxType: boxType ?? null, price });
      targetRows.push(row);
    }
    if (errors.length) list.errors.set(row, errors);
  }
  return [...(orphans.rows.length ? [orphans] : []), ...lists.values()];
}

const COLUMN_OF_FIELD: Record<string, string> = { product: 'Product', boxType: 'Box Type', price: 'Price', name: 'Season', from: 'From', to: 'To' };

/** The row and column a server error of this list names (field prices.2.price, seasons.1.prices.3.product, seasons.1.from, customers.1 ...). */
export function rowOfServerField(list: PriceListPush, field: string | null | undefined): { row: SheetRow; column: string } {
  const parts = (field ?? '').split('.');
  if (parts[0] === 'prices' && parts.length >= 3) {
    const row = list.priceRows[Number(parts[1]) - 1];
    if (row) return { row, column: COLUMN_OF_FIELD[parts[2]] ?? 'Price' };
  }
  if (parts[0] === 'seasons' && parts.length >= 3) {
    const season = list.seasonRows[Number(parts[1]) - 1];
    if (season && parts[2] === 'prices' && parts.length >= 5) {
      const row = season.priceRows[Number(parts[3]) - 1];
      if (row) return { row, column: COLUMN_OF_FIELD[parts[4]] ?? 'Price' };
    }
    if (season) return { row: season.first, column: COLUMN_OF_FIELD[parts[2]] ?? 'Season' };
  }
  return { row: list.rows[0], column: 'List' };
}
