// The documents' SQL: plain rows for printing, one query per document kind, whatever the number of boxes.
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray, pgIntArray } from '../common/loaders';
import { BOX_WITH_ORIGIN } from '../modules/box/box.repository';
import type { BoxLabelData, PickTicketData, Seller, ShippingLabelData } from './document-data';

interface BoxLabelRow {
  id: number;
  label: string;
  product_code: string;
  product_name: string;
  unit: string;
  box_type: string;
  units: number;
  vendor_code: string;
  vendor_name: string;
  po_number: string;
  awb: string | null;
  arrival_date: string;
  location: string;
  customer_code: string | null;
  customer_name: string | null;
  prebook_numbers: string[] | null;
  truck_date: string | null;
}

/**
 * Box labels of the given boxes, in the order of `ids`. The customer is the box's own (set once it is
 * confirmed); a box still staged shows the customer of the prebook lines it was bought for, or of its
 * PO (reserved). Prebook numbers and the truck date come from the line the box was billed or assigned
 * to, else from the lines it was bought for.
 */
export async function boxLabelRows(em: EntityManager, ids: number[]): Promise<BoxLabelData[]> {
  if (!ids.length) return [];
  const rows = await em.execute<BoxLabelRow[]>(
    `select b.id, b.label, p.code as product_code, p.name as product_name, p.unit, bt.code as box_type, b.units,
            v.code as vendor_code, v.name as vendor_name, po.number as po_number, s.awb, s.arrival_date::text as arrival_date,
            loc.code as location,
            coalesce(bc.code, case when b.status = 'STAGED' then coalesce(dm.customer_code, poc.code) end) as customer_code,
            coalesce(bc.name, case when b.status = 'STAGED' then coalesce(dm.customer_name, poc.name) end) as customer_name,
            dm.prebook_numbers, dm.truck_date
       from ${BOX_WITH_ORIGIN}
       join vendor v on v.id = po.vendor_id
       left join customer bc on bc.id = b.customer_id
       left join customer poc on poc.id = po.customer_id
       left join lateral (
         select array_agg(distinct pb.number order by pb.number) as prebook_numbers, max(pb.truck_date)::text as truck_date,
                (array_agg(cu.code order by pl.id))[1] as customer_code, (array_agg(cu.name order by pl.id))[1] as customer_name
           from prebook_line pl join prebook pb on pb.id = pl.prebook_id join customer cu on cu.id = pb.customer_id
          where pl.id in (select b.prebook_line_id union select d.prebook_line_id from box_demand d where d.box_id = b.id and b.prebook_line_id is null)
            and (b.customer_id is null or pb.customer_id = b.customer_id)
       ) dm on true
      where b.id = any(?::int[])`,
    [pgIntArray(ids)],
  );
  const byId = new Map(rows.map((row) => [Number(row.id), row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    return [
      {
        label: row.label,
        productCode: row.product_code,
        productName: row.product_name,
        boxType: row.box_type,
        units: Number(row.units),
        unit: row.unit,
        vendorCode: row.vendor_code,
        vendorName: row.vendor_name,
        purchaseOrderNumber: row.po_number,
        awb: row.awb,
        arrivalDate: row.arrival_date,
        location: row.location,
        customer: row.customer_code ? { code: row.customer_code, name: row.customer_name ?? row.customer_code } : null,
        prebookNumbers: row.customer_code ? (row.prebook_numbers ?? []) : [],
        truckDate: row.customer_code ? row.truck_date : null,
      },
    ];
  });
}

/** Box ids by label, for the labels that exist. */
export async function boxIdsByLabel(em: EntityManager, labels: string[]): Promise<Map<string, number>> {
  if (!labels.length) return new Map();
  const rows = await em.execute<{ id: number; label: string }[]>(`select id, label from box where label = any(?::text[])`, [pgArray(labels)]);
  return new Map(rows.map((row) => [row.label, Number(row.id)]));
}

/** Box ids of a purchase order (null when there is no such PO), in label-print order. */
export async function boxIdsOfPurchaseOrder(em: EntityManager, number: string): Promise<number[] | null> {
  const rows = await em.execute<{ po: number; id: number | null }[]>(
    `select po.id as po, b.id from purchase_order po
       left join purchase_order_line l on l.purchase_order_id = po.id
       left join box b on b.purchase_order_line_id = l.id and b.restock_of_id is null
      where po.number = ? order by l.line_no, b.id`,
    [number],
  );
  if (!rows.length) return null;
  return rows.flatMap((row) => (row.id == null ? [] : [Number(row.id)]));
}

/** Box ids of a shipment (null when there is no such shipment). */
export async function boxIdsOfShipment(em: EntityManager, shipmentId: number): Promise<number[] | null> {
  const rows = await em.execute<{ shipment: number; id: number | null }[]>(
    `select s.id as shipment, b.id from shipment s left join box b on b.shipment_id = s.id where s.id = ? order by b.id`,
    [shipmentId],
  );
  if (!rows.length) return null;
  return rows.flatMap((row) => (row.id == null ? [] : [Number(row.id)]));
}

/** The seller printed on documents, from the settings, with the company's time zone (invoice dates are its days). */
export async function readSeller(em: EntityManager): Promise<Seller & { timeZone: string }> {
  const [row] = await em.execute<{ company_name: string; company_address: string; company_phone: string; company_tax_id: string; time_zone: string }[]>(
    `select company_name, company_address, company_phone, company_tax_id, time_zone from settings where id = 1`,
  );
  return {
    name: row?.company_name ?? '',
    address: row?.company_address ?? '',
    phone: row?.company_phone ?? '',
    taxId: row?.company_tax_id ?? '',
    timeZone: row?.time_zone ?? 'UTC',
  };
}

/** Invoice ids by number (void invoices included: the caller says why they print nothing). */
export async function invoicesByNumber(em: EntityManager, numbers: string[]): Promise<Map<string, { id: number; status: string }>> {
  if (!numbers.length) return new Map();
  const rows = await em.execute<{ id: number; number: string; status: string }[]>(`select id, number, status from invoice where number = any(?::text[])`, [
    pgArray(numbers),
  ]);
  return new Map(rows.map((row) => [row.number, { id: Number(row.id), status: row.status }]));
}

/** The invoice (not void) each box is on: the latest one when an opened box went on several. */
export async function invoiceOfBoxes(em: EntityManager, boxIds: number[]): Promise<Map<number, number>> {
  if (!boxIds.length) return new Map();
  const rows = await em.execute<{ box_id: number; invoice_id: number }[]>(
    `select t.box_id, max(i.id) as invoice_id from invoice_line_box t
       join invoice_line l on l.id = t.invoice_line_id join invoice i on i.id = l.invoice_id
      where t.box_id = any(?::int[]) and i.status <> 'VOID' group by 1`,
    [pgIntArray(boxIds)],
  );
  return new Map(rows.map((row) => [Number(row.box_id), Number(row.invoice_id)]));
}

interface ShippingRow {
  invoice_id: number;
  box_id: number;
  n: number;
  m: number;
  label: string;
  units: number;
  invoice_number: string;
  customer_po: string | null;
  truck_date: string;
  carrier_code: string | null;
  carrier_name: string | null;
  customer_code: string;
  customer_name: string;
  billing_address: string | null;
  ship_to_code: string | null;
  ship_to_name: string | null;
  ship_to_address: string | null;
  product_code: string;
  product_name: string;
  box_type: string;
}

/**
 * Shipping labels of every box of the given invoices, numbered "N of M" in the order the boxes went on
 * the invoice (its first take of each box). Units are what the invoice took from the box.
 */
export async function shippingLabelRows(em: EntityManager, invoiceIds: number[]): Promise<Array<ShippingLabelData & { invoiceId: number; boxId: number }>> {
  if (!invoiceIds.length) return [];
  const rows = await em.execute<ShippingRow[]>(
    `with taken as (
       select l.invoice_id, t.box_id, min(t.id) as first_take, sum(t.units) as units
         from invoice_line_box t join invoice_line l on l.id = t.invoice_line_id
        where l.invoice_id = any(?::int[]) group by 1, 2
     ), numbered as (
       select taken.*, row_number() over (partition by invoice_id order by first_take) as n, count(*) over (partition by invoice_id) as m from taken
     )
     select x.invoice_id, x.box_id, x.n, x.m, b.label, x.units, i.number as invoice_number, i.customer_po, i.truck_date::text as truck_date,
            ca.code as carrier_code, ca.name as carrier_name, c.code as customer_code, c.name as customer_name, c.billing_address,
            st.code as ship_to_code, st.name as ship_to_name, st.address as ship_to_address,
            p.code as product_code, p.name as product_name, bt.code as box_type
       from numbered x
       join invoice i on i.id = x.invoice_id
       join customer c on c.id = i.customer_id
       left join ship_to st on st.id = i.ship_to_id
       left join carrier ca on ca.id = i.carrier_id
       join box b on b.id = x.box_id
       join product p on p.id = b.product_id
       join box_type bt on bt.id = b.box_type_id
      order by x.invoice_id, x.n`,
    [pgIntArray(invoiceIds)],
  );
  return rows.map((row) => ({
    invoiceId: Number(row.invoice_id),
    boxId: Number(row.box_id),
    label: row.label,
    invoiceNumber: row.invoice_number,
    customerPo: row.customer_po,
    truckDate: row.truck_date,
    carrierCode: row.carrier_code,
    carrierName: row.carrier_name,
    customerCode: row.customer_code,
    customerName: row.customer_name,
    billingAddress: row.billing_address,
    shipToCode: row.ship_to_code,
    shipToName: row.ship_to_name,
    shipToAddress: row.ship_to_address,
    productCode: row.product_code,
    productName: row.product_name,
    boxType: row.box_type,
    units: Number(row.units),
    boxNumber: Number(row.n),
    boxCount: Number(row.m),
  }));
}

/** The pick ticket of an invoice: its boxes by location, then label. Null when there is no such invoice. */
export async function pickTicketData(em: EntityManager, number: string): Promise<PickTicketData | null> {
  const [invoice] = await em.execute<
    {
      id: number;
      number: string;
      status: string;
      customer_code: string;
      customer_name: string;
      ship_to_name: string | null;
      ship_to_address: string | null;
      carrier_name: string | null;
      truck_date: string;
      customer_po: string | null;
    }[]
  >(
    `select i.id, i.number, i.status, c.code as customer_code, c.name as customer_name, st.name as ship_to_name, st.address as ship_to_address,
            ca.name as carrier_name, i.truck_date::text as truck_date, i.customer_po
       from invoice i join customer c on c.id = i.customer_id left join ship_to st on st.id = i.ship_to_id left join carrier ca on ca.id = i.carrier_id
      where i.number = ?`,
    [number],
  );
  if (!invoice) return null;
  const boxes = await em.execute<
    { location: string; location_name: string; label: string; product_code: string; product_name: string; box_type: string; units: number; unit: string }[]
  >(
    `select loc.code as location, loc.name as location_name, b.label, p.code as product_code, p.name as product_name, bt.code as box_type, sum(t.units) as units, p.unit
       from invoice_line l join invoice_line_box t on t.invoice_line_id = l.id join box b on b.id = t.box_id
       join location loc on loc.id = b.location_id join product p on p.id = b.product_id join box_type bt on bt.id = b.box_type_id
      where l.invoice_id = ?
      group by loc.code, loc.name, b.id, b.label, p.code, p.name, bt.code, p.unit
      order by loc.code, b.label`,
    [invoice.id],
  );
  return {
    invoiceNumber: invoice.number,
    status: invoice.status,
    customerCode: invoice.customer_code,
    customerName: invoice.customer_name,
    shipToName: invoice.ship_to_name,
    shipToAddress: invoice.ship_to_address,
    carrierName: invoice.carrier_name,
    truckDate: invoice.truck_date,
    customerPo: invoice.customer_po,
    boxes: boxes.map((row) => ({
      location: row.location,
      locationName: row.location_name,
      label: row.label,
      productCode: row.product_code,
      productName: row.product_name,
      boxType: row.box_type,
      units: Number(row.units),
      unit: row.unit,
    })),
  };
}
