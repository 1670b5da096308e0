import { claimIdempotencyKey, storeIdempotentResponse } from '../idempotency/idempotency.service';
import type { RequestContext } from '../../common/request-context';
import { RowValidator } from '../../common/row-validator';
import { inTransaction } from '../../common/transaction';
import { MAX_UPSERT_ITEMS } from '../../common/upsert-by-code';
import { userError, type UserError } from '../../common/user-error';
import { recordAudit } from '../audit/audit.service';
import { lockBillableBoxes } from '../box/billable-box';
import { InvoiceSchema, type Invoice } from '../invoice/invoice.entity';
import { createInvoice, POPULATE_INVOICE } from '../invoice/invoice.service';
import { checkDate } from '../prebook/order-line.validation';
import { companyToday } from '../settings/settings.service';
import { ProductionRunTransferSchema } from './production-run.entity';
import { loadRunView, lockProductionRun, type ProductionRunView } from './production-run.view';

// Sending a run's components to its production company: TRANSFER invoices, and which run such an invoice is for.

/** An error of the invoice made for a transfer, named by the label it is about (labels.N) rather than the invoice's lines. */
function asLabelError(error: UserError, labels: string[]): UserError {
  if (!error.field?.startsWith('lines.')) return error;
  const index = labels.findIndex((label) => label.trim() && error.message.includes(label.trim()));
  const message = error.message.replace(/^line \d+: /, '');
  return index < 0 ? { ...error, message, field: 'labels' } : { ...error, message, field: `labels.${index + 1}` };
}

export interface TransferPayload {
  invoice: Invoice | null;
  productionRun: ProductionRunView | null;
  errors: UserError[];
}

/**
 * Step (4) of the production flow: a 0.00 invoice of kind TRANSFER to the run's production company,
 * made by createInvoice (the one way boxes are taken), recorded on the run. Only boxes in inventory
 * reserved for that company; nothing is written when any label is refused.
 */
export async function transferComponents(
  ctx: RequestContext,
  runNumber: string,
  labels: string[],
  truckDate?: string | null,
  idempotencyKey?: string | null,
): Promise<TransferPayload> {
  if (labels.length > MAX_UPSERT_ITEMS)
    return { invoice: null, productionRun: null, errors: [userError('TOO_MANY_ITEMS', `A transfer takes at most ${MAX_UPSERT_ITEMS} boxes; split it.`)] };
  return inTransaction(ctx, async (em) => {
    const claim = await claimIdempotencyKey<{ invoiceId: number | null; runId: number | null; errors: UserError[] }>(
      ctx,
      em,
      'transferComponents',
      idempotencyKey,
      {
        runNumber,
        labels,
        truckDate,
      },
    );
    if ('conflict' in claim) return { invoice: null, productionRun: null, errors: [claim.conflict] };
    if (claim.replayed) {
      const { invoiceId, runId, errors } = claim.response;
      return {
        invoice: invoiceId ? await em.findOne(InvoiceSchema, invoiceId, { populate: POPULATE_INVOICE }) : null,
        productionRun: runId ? await loadRunView(em, runId) : null,
        errors,
      };
    }
    const finish = async (payload: TransferPayload) => {
      if (claim.claimed)
        await storeIdempotentResponse(em, ctx, idempotencyKey!, {
          invoiceId: payload.invoice?.id ?? null,
          runId: payload.productionRun ? Number(payload.productionRun.id) : null,
          errors: payload.errors,
        });
      return payload;
    };

    const run = await lockProductionRun(em, runNumber);
    if (!run)
      return finish({ invoice: null, productionRun: null, errors: [userError('NOT_FOUND', `no production run ${runNumber}`, undefined, 'productionRun')] });
    if (run.status !== 'OPEN')
      return finish({
        invoice: null,
        productionRun: null,
        errors: [userError('INVALID_STATUS', `${run.number} is ${run.status}`, undefined, 'productionRun')],
      });
    const v = new RowValidator(null);
    if (labels.length === 0) v.fail('REQUIRED', 'labels', 'a transfer needs at least one box label');
    const date = checkDate(v, 'truckDate', truckDate, false);
    const company = run.productionCompany;
    const boxes = await lockBillableBoxes(
      em,
      labels.map((l) => l.trim()),
    );
    labels.forEach((raw, index) => {
      const box = boxes.get(raw.trim());
      if (box && box.status === 'IN_INVENTORY' && box.unitsRemaining > 0 && box.customer?.id !== company.id) {
        const holder = box.customer ? `reserved for ${box.customer.code}` : 'open market';
        v.fail(
          'RESERVED_FOR_OTHER_CUSTOMER',
          `labels.${index + 1}`,
          `${box.label} is ${holder}: only boxes bought for ${company.code} (its component POs) can be transferred to it`,
        );
      }
    });
    if (!v.ok) return finish({ invoice: null, productionRun: null, errors: v.errors });

    // One line per product, in the order the labels came.
    const byProduct = new Map<number, string[]>();
    for (const raw of labels) {
      const label = raw.trim();
      const productId = boxes.get(label)?.productId ?? -1;
      byProduct.set(productId, [...(byProduct.get(productId) ?? []), label]);
    }
    const result = await createInvoice(
      { ...ctx, em },
      {
        customer: company.code,
        truckDate: date ?? (await companyToday(em)),
        customerPo: run.number,
        lines: [...byProduct.values()].map((group) => ({ labels: group, unitPrice: '0.00' })),
      },
    );
    if (!result.invoice) return finish({ invoice: null, productionRun: null, errors: result.errors.map((error) => asLabelError(error, labels)) });
    em.create(ProductionRunTransferSchema, { productionRun: run, invoice: em.getReference(InvoiceSchema, result.invoice.id) });
    await em.flush();
    recordAudit(em, ctx.actor, 'transfer-components', 'ProductionRun', run.id, { invoice: result.invoice.number, labels });
    await em.flush();
    return finish({ invoice: result.invoice, productionRun: await loadRunView(em, run.id), errors: [] });
  });
}

/** The production run a TRANSFER invoice belongs to. */
export async function productionRunNumberOfInvoice(ctx: RequestContext, invoice: Invoice): Promise<string | null> {
  if (invoice.kind !== 'TRANSFER') return null;
  const link = await ctx.em.findOne(ProductionRunTransferSchema, { invoice: invoice.id }, { populate: ['productionRun'] });
  return link?.productionRun.number ?? null;
}
