// What payments applied to an invoice forbid: voiding it, or pricing it below what its credits and payments take.
import type { EntityManager } from '@mikro-orm/postgresql';
import { fromScaled, toScaled } from '../../common/decimal';
import { userError, type UserError } from '../../common/user-error';
import type { Invoice, InvoiceLine } from './invoice.entity';
import { selectAppliedAndCredited } from './invoice.repository';
import { invoiceTotalsOf } from './invoice-totals';

/**
 * Under the invoice's lock: with payments or credits applied to it, a void (`updates` null) is refused, and so
 * are new prices that would bill less than its approved credits and those applications take.
 */
export async function paymentRefusals(
  em: EntityManager,
  invoice: Invoice,
  updates: ReadonlyArray<{ line?: InvoiceLine; unitPrice: string | null }> | null,
): Promise<UserError[]> {
  const { applied, credited } = await selectAppliedAndCredited(em, invoice.id);
  if (toScaled(applied) === 0n) return [];
  if (!updates) {
    const message = `${invoice.number} has ${fromScaled(toScaled(applied))} of payments or credits applied to it: void those payments (voidPayment) first`;
    return [userError('INVALID_STATUS', message, undefined, 'number')];
  }
  const prices = new Map(updates.flatMap(({ line, unitPrice }) => (line ? [[line.id, unitPrice] as const] : [])));
  const lines = invoice.lines.getItems().map((line) => ({ ...line, unitPrice: prices.has(line.id) ? prices.get(line.id)! : line.unitPrice }));
  const total = invoiceTotalsOf(invoice, lines).total;
  const taken = toScaled(applied) + toScaled(credited);
  if (total >= taken) return [];
  const message = `${invoice.number} would bill ${fromScaled(total)}, less than the ${fromScaled(taken)} its credits and payments take`;
  return [userError('APPLICATION_EXCEEDS_OPEN', message, undefined, 'prices')];
}
