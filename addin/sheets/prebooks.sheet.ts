import { date, decimal, DEFAULT_PARSE_OPTIONS, integer, required, text, yesNo, type CellError, type ParseOptions } from './cells';
import type { DocumentSheetSpec } from './documents';
import type { RowUpdate, SheetRow } from './tables';

export interface PrebookLineInput {
  id?: string | null;
  product: string;
  sellBy?: string | null;
  boxType?: string | null;
  boxes?: number | null;
  unitsPerBox?: number | null;
  units?: number | null;
  price?: string | null;
  cost?: string | null;
  vendor?: string | null;
  vendorCost?: string | null;
}

export interface PrebookHeaderInput {
  ref?: string | null;
  number?: string | null;
  version?: number | null;
  customer: string;
  shipTo?: string | null;
  carrier: string;
  truckDate: string;
  customerPo?: string | null;
  holiday: boolean;
}

/** The next year's same day (a 29 February gives 1 March): truck dates after it are warned about. */
function yearAfter(day: string): string {
  const [year, month, dayOfMonth] = day.split('-').map(Number);
  return new Date(Date.UTC(year + 1, month - 1, dayOfMonth)).toISOString().slice(0, 10);
}

/**
 * A truck date before the company's today is an error on a new prebook, unless the buyer allowed
 * past dates for this push. A prebook already saved (it has a Prebook #) is not checked: pulled
 * last week and pushed again with a price edit, its truck date is the one the server has.
 */
function checkTruckDate(truckDate: string | null, isNew: boolean, options: ParseOptions, errors: CellError[]): void {
  if (!truckDate || !isNew || !options.today || options.allowPast || truckDate >= options.today) return;
  errors.push({
    column: 'Truck Date',
    message: `Truck Date ${truckDate} is before today (${options.today}): correct it, or if this prebook is for a past truck push with "Allow past truck dates" (stemline-sheet push prebooks --allow-past)`,
  });
}

/**
 * The warning of a new prebook's truck date more than a year after the company's today (the row is
 * saved all the same); as for dates before today, a prebook already saved is not checked.
 */
export function truckDateWarning(row: SheetRow, options: ParseOptions): string | null {
  if (!options.today || text(row.values['Prebook #'])) return null;
  const truckDate = date(row.values['Truck Date'], 'Truck Date', []);
  return truckDate && truckDate > yearAfter(options.today) ? `Truck Date ${truckDate} is more than a year ahead: check it` : null;
}

/** The Prebooks table read with the company's settings (decimal separator, today). */
export const prebookSheetFor = (options: ParseOptions): DocumentSheetSpec<PrebookHeaderInput, PrebookLineInput> => ({
  table: 'Prebooks',
  numberColumn: 'Prebook #',
  headerColumns: ['Ref', 'Customer', 'Ship To', 'Carrier', 'Truck Date', 'Customer PO', 'Holiday'],
  lineColumns: ['Product', 'Sell By', 'Box Type', 'Boxes', 'Units/Box', 'Units', 'Price', 'Cost', 'Vendor', 'Vendor Cost'],
  parseHeader(row, errors) {
    const v = row.values;
    const need = (column: string) => required(v[column], column, errors);
    const number = text(v['Prebook #']);
    const truckDate = date(v['Truck Date'], 'Truck Date', errors);
    checkTruckDate(truckDate, !number, options, errors);
    return {
      ref: text(v.Ref),
      number,
      version: integer(v.Version, 'Version', errors),
      customer: need('Customer'),
      shipTo: text(v['Ship To']),
      carrier: need('Carrier'),
      truckDate: truckDate ?? (need('Truck Date') && ''),
      customerPo: text(v['Customer PO']),
      holiday: yesNo(v.Holiday, 'Holiday', errors) ?? false,
    };
  },
  parseLine(row, errors) {
    const v = row.values;
    const product = text(v.Product);
    if (!product) errors.push({ column: 'Product', message: 'Product is required' });
    return {
      id: text(v['Line Id']),
      product: product ?? '',
      sellBy: text(v['Sell By']),
      boxType: text(v['Box Type']),
      boxes: integer(v.Boxes, 'Boxes', errors, options),
      unitsPerBox: integer(v['Units/Box'], 'Units/Box', errors, options),
      units: integer(v.Units, 'Units', errors, options),
      price: decimal(v.Price, 'Price', errors, options),
      cost: decimal(v.Cost, 'Cost', errors, options),
      vendor: text(v.Vendor),
      vendorCost: decimal(v['Vendor Cost'], 'Vendor Cost', errors, options),
    };
  },
  fieldColumns: {
    number: 'Prebook #',
    version: 'Prebook #',
    customer: 'Customer',
    shipTo: 'Ship To',
    carrier: 'Carrier',
    truckDate: 'Truck Date',
    customerPo: 'Customer PO',
    lines: 'Product',
    'lines.id': 'Product',
    'lines.product': 'Product',
    'lines.sellBy': 'Sell By',
    'lines.boxType': 'Box Type',
    'lines.boxes': 'Boxes',
    'lines.unitsPerBox': 'Units/Box',
    'lines.units': 'Units',
    'lines.price': 'Price',
    'lines.cost': 'Cost',
    'lines.vendor': 'Vendor',
    'lines.vendorCost': 'Vendor Cost',
  },
});

/** The Prebooks table read with the default settings (a decimal point, no truck date check). */
export const prebookSheet = prebookSheetFor(DEFAULT_PARSE_OPTIONS);

/**
 * The server's line ids for the rows of a saved prebook (`lineIds`: its lines' ids by line number):
 * rows that had an id keep it; new lines (numbered after the existing ones) go to the rows without
 * one, in order.
 */
export function lineIdsForRows(rows: SheetRow[], lineIds: string[]): Map<number, RowUpdate> {
  const updates = new Map<number, RowUpdate>();
  const known = new Set(rows.map((row) => text(row.values['Line Id'])).filter(Boolean));
  const fresh = lineIds.filter((id) => !known.has(id));
  let next = 0;
  for (const row of rows) {
    const id = text(row.values['Line Id']) ?? fresh[next++] ?? null;
    updates.set(row.row, { 'Line Id': id });
  }
  return updates;
}
