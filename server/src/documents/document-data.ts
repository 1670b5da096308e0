/** What a box label shows (4x6 in, one per box). */
export interface BoxLabelData {
  label: string;
  productCode: string;
  productName: string;
  boxType: string;
  units: number;
  /** STEM, BUNCH or EACH. */
  unit: string;
  vendorCode: string;
  vendorName: string;
  purchaseOrderNumber: string;
  awb: string | null;
  arrivalDate: string;
  location: string;
  /** Present when the box is sold or reserved before it arrives. */
  customer: { code: string; name: string } | null;
  prebookNumbers: string[];
  /** The most future truck date of the prebook lines the box serves. */
  truckDate: string | null;
}

/** The seller, from Settings, printed on shipping labels and pick tickets. */
export interface Seller {
  name: string;
  address: string;
  phone: string;
  taxId: string;
}

/** What a shipping label shows: one per box of an invoice. */
export interface ShippingLabelData {
  label: string;
  invoiceNumber: string;
  customerPo: string | null;
  truckDate: string;
  carrierCode: string | null;
  carrierName: string | null;
  customerCode: string;
  customerName: string;
  billingAddress: string | null;
  shipToCode: string | null;
  shipToName: string | null;
  shipToAddress: string | null;
  productCode: string;
  productName: string;
  boxType: string;
  units: number;
  /** "Box N of M" of the invoice, boxes numbered in the order they went on it. */
  boxNumber: number;
  boxCount: number;
}

export interface PickTicketBox {
  location: string;
  locationName: string;
  label: string;
  productCode: string;
  productName: string;
  boxType: string;
  /** Units of the box on this invoice (all of it, or what an opened box gave). */
  units: number;
  unit: string;
}

export interface PickTicketData {
  invoiceNumber: string;
  status: string;
  customerCode: string;
  customerName: string;
  shipToName: string | null;
  shipToAddress: string | null;
  carrierName: string | null;
  truckDate: string;
  customerPo: string | null;
  boxes: PickTicketBox[];
}
