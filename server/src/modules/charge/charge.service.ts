// Invoice charges: recomputed whenever an invoice's lines change (registered with the invoice module; a
// billing run recomputes in the statement that writes its lines), and set by hand with setInvoiceCharge.
import { LockMode } from '@mikro-orm/core';
import type { RequestContext } from '../../common/request-context';
import { RowValidator } from '../../common/row-validator';
import { inTransaction } from '../../common/transaction';
import { userError } from '../../common/user-error';
import type { SetInvoiceChargeInput } from '../../generated/graphql';
import { recordAudit } from '../audit/audit.service';
import { onInvoiceLinesChanged } from '../invoice/invoice-change';
import { InvoiceSchema } from '../invoice/invoice.entity';
import { confirmedInvoiceLock } from '../invoice/invoice-lock';
import { POPULATE_INVOICE, type InvoicePayload } from '../invoice/invoice.service';
import { getSettings } from '../settings/settings.service';
import { findChargeRule } from './charge-rules.service';
import { lockAndRecomputeCharges, lockChargeDaysOfInvoices, lockInvoiceCharge, releaseOverriddenCharge, upsertOverriddenCharge } from './charge.repository';

// Every change of invoice lines outside a billing run (createInvoice, setInvoicePrices, voids, merges,
// unallocations) recomputes the charges of the invoices it changed, in its transaction.
onInvoiceLinesChanged(lockAndRecomputeCharges);

/**
 * setInvoiceCharge: one charge of an invoice set by hand (it stays as typed whatever its lines do), or, with
 * no amount, handed back to its rule and recomputed now. A PENDING invoice, or a CONFIRMED one while it is not
 * locked (Settings.lockConfirmedInvoices; invoice-lock.ts).
 */
export function setInvoiceCharge(ctx: RequestContext, input: SetInvoiceChargeInput): Promise<InvoicePayload> {
  return inTransaction(ctx, async (em) => {
    const invoice = await em.findOne(InvoiceSchema, { number: input.invoice.trim().toUpperCase() }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!invoice) return { invoice: null, errors: [userError('NOT_FOUND', `no invoice ${input.invoice}`, undefined, 'invoice')] };
    const v = new RowValidator(null);
    if (invoice.status === 'VOID') v.fail('INVALID_STATUS', 'invoice', `${invoice.number} is VOID: it carries no charges`);
    else if (invoice.kind === 'TRANSFER') v.fail('INVALID_STATUS', 'invoice', `${invoice.number} is a transfer of components: it carries no charges`);
    if (input.version != null && input.version !== invoice.version)
      v.fail('STALE_VERSION', 'version', `${invoice.number} was changed by someone else (version ${invoice.version}, yours ${input.version})`);
    const lock = confirmedInvoiceLock(invoice, ctx.actor.role, await getSettings(em));
    if (lock) v.fail('INVOICE_LOCKED', 'invoice', lock);
    const rule = input.rule?.trim() ? await findChargeRule(em, input.rule) : null;
    if (!rule)
      v.fail(input.rule?.trim() ? 'NOT_FOUND' : 'REQUIRED', 'rule', input.rule?.trim() ? `no charge rule ${input.rule} (see chargeRules)` : 'rule is required');
    const amount = v.decimal('amount', input.amount, { required: false, nullable: true, min: 0, max: 1e9, maxScale: 2 });
    if (!v.ok || !rule) {
      await em.populate(invoice, POPULATE_INVOICE);
      return { invoice, errors: v.errors };
    }
    // The charge's row under the invoice's lock, then the customer's day (the lock order, charge.repository.ts).
    const before = await lockInvoiceCharge(em, invoice.id, rule.id);
    if (amount == null) {
      if (before?.overridden) await releaseOverriddenCharge(em, invoice.id, rule.id);
      await lockAndRecomputeCharges(em, [invoice.id]);
    } else {
      await lockChargeDaysOfInvoices(em, [invoice.id]);
      await upsertOverriddenCharge(em, {
        invoiceId: invoice.id,
        ruleId: rule.id,
        description: rule.name,
        basis: rule.kind === 'FUEL_SURCHARGE' ? 'PORT_AND_BOX_TYPE' : (rule.basis ?? 'PER_INVOICE'),
        amount,
      });
    }
    invoice.updatedAt = new Date();
    recordAudit(em, ctx.actor, 'set-charge', 'Invoice', invoice.id, { rule: rule.code, amount: amount ?? null, before: before?.amount ?? null });
    await em.flush();
    await em.populate(invoice, POPULATE_INVOICE);
    return { invoice, errors: [] };
  });
}
