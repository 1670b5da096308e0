import { bool, date, decimal, integer, required, text } from './cells';
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

export const prebookSheet: DocumentSheetSpec<PrebookHeaderInput, PrebookLineInput> = {
  table: 'Prebooks',
  numberColumn: 'Prebook #',
  headerColumns: ['Ref', 'Customer', 'Ship To', 'Carrier', 'Truck Date', 'Customer PO', 'Holiday'],
  lineColumns: ['Product', 'Sell By', 'Box Type', 'Boxes', 'Units/Box', 'Units', 'Price', 'Cost', 'Vendor', 'Vendor Cost'],
  parseHeader(row, errors) {
    const v = row.values;
    const need = (column: string) => required(v[column], column, errors);
    return {
      ref: text(v.Ref),
      number: text(v['Prebook #']),
      version: integer(v.Version, 'Version', errors),
      customer: need('Customer'),
      shipTo: text(v['Ship To']),
      carrier: need('Carrier'),
      truckDate: date(v['Truck Date'], 'Truck Date', errors) ?? (need('Truck Date') && ''),
      customerPo: text(v['Customer PO']),
      holiday: bool(v.Holiday),
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
      boxes: integer(v.Boxes, 'Boxes', errors),
      unitsPerBox: integer(v['Units/Box'], 'Units/Box', errors),
      units: integer(v.Units, 'Units', errors),
      price: decimal(v.Price, 'Price', errors),
      cost: decimal(v.Cost, 'Cost', errors),
      vendor: text(v.Vendor),
      vendorCost: decimal(v['Vendor Cost'], 'Vendor Cost', errors),
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
};

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
