// The SQL of statements: one customer's receivable documents (invoices, approved credits, payments, applications)
// with their dates, read as they are now; statement-rules.ts dates them and sums them as of a day.
import type { EntityManager } from '@mikro-orm/postgresql';
import { invoiceTotalSql } from '../invoice/invoice.repository';

/** One customer's receivable documents, amounts as text. */
export interface StatementRows {
  invoices: Array<{ id: number; number: string; kind: string; status: string; date: string; due_date: string; total: string; customer_po: string | null }>;
  credits: Array<{ id: number; number: string; date: string; invoice_id: number | null; invoice_number: string | null; amount: string; reason: string | null }>;
  payments: Array<{
    id: number;
    number: string;
    date: string;
    amount: string;
    method: string;
    reference: string;
    status: string;
    void_date: string | null;
    void_reason: string | null;
  }>;
  applications: Array<{ invoice_id: number; payment_id: number | null; credit_id: number | null; amount: string }>;
}

/** Every invoice but VOID ones, every APPROVED credit, every payment (VOID ones with the company's date of their void), and the applications of those. */
export async function selectStatementRows(em: EntityManager, customerId: number): Promise<StatementRows> {
  const zone = `coalesce((select nullif(time_zone, '') from settings where id = 1), 'UTC')`;
  const [invoices, credits, payments, applications] = await Promise.all([
    em.execute<StatementRows['invoices']>(
      `select i.id, i.number, i.kind, i.status, i.invoice_date::text as date, (i.invoice_date + cu.payment_terms_days)::text as due_date,
              ${invoiceTotalSql('i')}::text as total, i.customer_po
         from invoice i join customer cu on cu.id = i.customer_id
        where i.customer_id = ? and i.status <> 'VOID' order by i.invoice_date, i.number`,
      [customerId],
    ),
    em.execute<StatementRows['credits']>(
      `select c.id, c.number, c.credit_date::text as date, c.invoice_id, i.number as invoice_number, r.name as reason,
              coalesce((select sum(cl.amount) from credit_line cl where cl.credit_id = c.id), 0)::text as amount
         from credit c left join invoice i on i.id = c.invoice_id left join credit_reason r on r.id = c.reason_id
        where c.customer_id = ? and c.status = 'APPROVED' and (i.id is null or i.status <> 'VOID') order by c.credit_date, c.number`,
      [customerId],
    ),
    em.execute<StatementRows['payments']>(
      `select p.id, p.number, p.payment_date::text as date, p.amount::text as amount, p.method, p.reference, p.status,
              case when p.status = 'VOID' then (coalesce(p.voided_at, p.updated_at) at time zone ${zone})::date::text end as void_date, p.void_reason
         from payment p where p.customer_id = ? order by p.payment_date, p.number`,
      [customerId],
    ),
    em.execute<StatementRows['applications']>(
      `select a.invoice_id, a.payment_id, a.credit_id, a.amount::text as amount
         from payment_application a join invoice i on i.id = a.invoice_id
         left join credit c on c.id = a.credit_id
        where i.customer_id = ? and i.status <> 'VOID' and (a.credit_id is null or c.status = 'APPROVED') order by a.id`,
      [customerId],
    ),
  ]);
  return { invoices, credits, payments, applications };
}
