// statement(customer, from, to, type): one customer's statement for a period, for staff and for a CUSTOMER
// token (its own only: another customer answers as unknown).
import { badRequest } from '../../common/graphql-errors';
import { ownCustomerId } from '../../common/list-filters';
import { filterReferenceId } from '../../common/references';
import type { RequestContext } from '../../common/request-context';
import { CustomerSchema, type Customer } from '../customer/customer.entity';
import { getSettings } from '../settings/settings.service';
import { buildStatement, type StatementData, type StatementType } from './statement-rules';
import { selectStatementRows } from './statement.repository';

export interface StatementSeller {
  name: string;
  address: string;
  phone: string;
  taxId: string;
  timeZone: string;
}

export interface StatementView extends StatementData {
  customer: Customer;
  seller: StatementSeller;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function checkDay(value: string, name: string): string {
  if (!ISO_DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value)
    throw badRequest(`${name} is not a date: "${value}" (YYYY-MM-DD)`);
  return value;
}

/** The first day of `day`'s month. */
export function monthStart(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

/** The statement of `customer` (code or exact name) from `from` (default: the first of `to`'s month) to `to`. */
export async function customerStatement(
  ctx: RequestContext,
  customer: string,
  from: string | null | undefined,
  to: string,
  type: StatementType = 'BALANCE_FORWARD',
): Promise<StatementView> {
  const end = checkDay(to, 'to');
  const start = from ? checkDay(from, 'from') : monthStart(end);
  if (start > end) throw badRequest(`from (${start}) is after to (${end})`);
  if (!customer.trim()) throw badRequest('customer is required: its code or exact name');
  const customerId = await filterReferenceId(ctx.em, CustomerSchema, customer, 'customer', { onlyId: ownCustomerId(ctx) });
  const [found, rows, settings] = await Promise.all([
    ctx.em.findOneOrFail(CustomerSchema, customerId),
    selectStatementRows(ctx.em, customerId),
    getSettings(ctx.em),
  ]);
  const seller = {
    name: settings.companyName,
    address: settings.companyAddress,
    phone: settings.companyPhone,
    taxId: settings.companyTaxId,
    timeZone: settings.timeZone,
  };
  return { ...buildStatement(rows, found.openBalance, type, start, end), customer: found, seller };
}
