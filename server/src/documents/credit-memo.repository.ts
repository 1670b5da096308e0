// The SQL of the credit memo: the credit, its customer, the invoice it credits and its lines, in two queries.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CreditMemoData } from './credit-memo-data';

interface MemoRow {
  id: number;
  number: string;
  status: string;
  credit_date: string;
  customer_id: number;
  customer_code: string;
  customer_name: string;
  billing_address: string | null;
  invoice_number: string | null;
  invoice_at: Date | null;
  customer_po: string | null;
  truck_date: string | null;
  reason_code: string | null;
  reason_name: string | null;
  notes: string;
  time_zone: string;
}

interface MemoLineRow {
  line_no: number;
  kind: string;
  units: number | null;
  amount_per_unit: string | null;
  amount: string;
  invoice_line_no: number | null;
  product_code: string | null;
  product_name: string | null;
  unit: string | null;
}

/** The credit memo of a credit (with its customer's id, for the caller's scope check); null when there is none. */
export async function creditMemoData(em: EntityManager, number: string): Promise<(CreditMemoData & { customerId: number }) | null> {
  const [credit] = await em.execute<MemoRow[]>(
    `select c.id, c.number, c.status, c.credit_date::text as credit_date, c.customer_id, cu.code as customer_code, cu.name as customer_name,
            cu.billing_address, i.number as invoice_number, coalesce(i.confirmed_at, i.created_at) as invoice_at, i.customer_po,
            i.truck_date::text as truck_date, r.code as reason_code, r.name as reason_name, c.notes,
            (select time_zone from settings where id = 1) as time_zone
       from credit c join customer cu on cu.id = c.customer_id
       left join invoice i on i.id = c.invoice_id left join credit_reason r on r.id = c.reason_id
      where c.number = ?`,
    [number],
  );
  if (!credit) return null;
  const lines = await em.execute<MemoLineRow[]>(
    `select cl.line_no, cl.kind, cl.units, cl.amount_per_unit::text as amount_per_unit, cl.amount::text as amount,
            il.line_no as invoice_line_no, p.code as product_code, p.name as product_name, p.unit
       from credit_line cl left join invoice_line il on il.id = cl.invoice_line_id left join product p on p.id = il.product_id
      where cl.credit_id = ? order by cl.line_no`,
    [credit.id],
  );
  return {
    customerId: Number(credit.customer_id),
    number: credit.number,
    status: credit.status,
    date: credit.credit_date,
    customer: { code: credit.customer_code, name: credit.customer_name, billingAddress: credit.billing_address },
    invoice: credit.invoice_number
      ? {
          number: credit.invoice_number,
          invoicedAt: credit.invoice_at ? new Date(credit.invoice_at).toISOString() : null,
          customerPo: credit.customer_po,
          truckDate: credit.truck_date,
        }
      : null,
    reason: credit.reason_code ? { code: credit.reason_code, name: credit.reason_name ?? credit.reason_code } : null,
    notes: credit.notes,
    timeZone: credit.time_zone ?? 'UTC',
    lines: lines.map((line) => ({
      lineNo: Number(line.line_no),
      kind: line.kind,
      units: line.units === null ? null : Number(line.units),
      amountPerUnit: line.amount_per_unit,
      amount: line.amount,
      invoiceLineNo: line.invoice_line_no === null ? null : Number(line.invoice_line_no),
      product: line.product_code ? { code: line.product_code, name: line.product_name ?? line.product_code, unit: line.unit ?? 'STEM' } : null,
    })),
  };
}
