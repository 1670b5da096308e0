import { date, decimal, DEFAULT_PARSE_OPTIONS, integer, required, text, type ParseOptions } from './cells';
import type { DocumentSheetSpec } from './documents';

export interface PurchaseOrderLineInput {
  product: string;
  boxType?: string | null;
  boxes: number;
  unitsPerBox?: number | null;
  unitCost: string;
  prebook?: string | null;
}

export interface PurchaseOrderHeaderInput {
  ref?: string | null;
  number?: string | null;
  version?: number | null;
  vendor: string;
  customer?: string | null;
  location: string;
  shipDate: string;
  portOfOrigin?: string | null;
}

/** The PurchaseOrders table read with the company's settings (decimal separator). */
export const purchaseOrderSheetFor = (options: ParseOptions): DocumentSheetSpec<PurchaseOrderHeaderInput, PurchaseOrderLineInput> => ({
  table: 'PurchaseOrders',
  numberColumn: 'PO #',
  headerColumns: ['Ref', 'Vendor', 'Customer', 'Location', 'Ship Date', 'Port'],
  lineColumns: ['Product', 'Box Type', 'Boxes', 'Units/Box', 'Unit Cost', 'Prebook #'],
  parseHeader(row, errors) {
    const v = row.values;
    const need = (column: string) => required(v[column], column, errors);
    return {
      ref: text(v.Ref),
      number: text(v['PO #']),
      version: integer(v.Version, 'Version', errors),
      vendor: need('Vendor'),
      customer: text(v.Customer),
      location: need('Location'),
      shipDate: date(v['Ship Date'], 'Ship Date', errors) ?? (need('Ship Date') && ''),
      portOfOrigin: text(v.Port),
    };
  },
  parseLine(row, errors) {
    const v = row.values;
    for (const column of ['Product', 'Boxes', 'Unit Cost']) required(v[column], column, errors);
    return {
      product: text(v.Product) ?? '',
      boxType: text(v['Box Type']),
      boxes: integer(v.Boxes, 'Boxes', errors, options) ?? 0,
      unitsPerBox: integer(v['Units/Box'], 'Units/Box', errors, options),
      unitCost: decimal(v['Unit Cost'], 'Unit Cost', errors, options) ?? '0',
      prebook: text(v['Prebook #']),
    };
  },
  fieldColumns: {
    number: 'PO #',
    version: 'PO #',
    vendor: 'Vendor',
    customer: 'Customer',
    location: 'Location',
    shipDate: 'Ship Date',
    portOfOrigin: 'Port',
    lines: 'Product',
    'lines.product': 'Product',
    'lines.boxType': 'Box Type',
    'lines.boxes': 'Boxes',
    'lines.unitsPerBox': 'Units/Box',
    'lines.unitCost': 'Unit Cost',
    'lines.prebook': 'Prebook #',
    'lines.prebookLine': 'Prebook #',
    'lines.customer': 'Customer',
  },
});

/** The PurchaseOrders table read with the default settings (a decimal point). */
export const purchaseOrderSheet = purchaseOrderSheetFor(DEFAULT_PARSE_OPTIONS);
