import { nextDocumentNumbers } from '../../common/document-number.repository';
import { offsetConnection, offsetPage, type PageArgs } from '../../common/pagination';
import { checkReference, filterDocumentId, filterReferenceId, loadReferences } from '../../common/references';
import type { RequestContext } from '../../common/request-context';
import { RowValidator } from '../../common/row-validator';
import { inTransaction } from '../../common/transaction';
import { MAX_UPSERT_ITEMS } from '../../common/upsert-by-code';
import { userError, type UserError } from '../../common/user-error';
import type { ProductionRunFilter, ProductionRunInput } from '../../generated/graphql';
import { recordAudit } from '../audit/audit.service';
import { CustomerSchema } from '../customer/customer.entity';
import { PrebookLineSchema, type PrebookLine } from '../prebook/prebook.entity';
import { PurchaseOrderSchema, type PurchaseOrder } from '../purchase-order/purchase-order.entity';
import { ProductionRunLineSchema, ProductionRunSchema } from './production-run.entity';
import { loadRunView, lockProductionRun, POPULATE_RUN, runViews, type ProductionRunView } from './production-run.view';

// Planning a run: listing runs, creating one and changing its company, production PO, status and lines.

export async function listProductionRuns(ctx: RequestContext, filter: ProductionRunFilter | null | undefined, page: PageArgs) {
  const where: Record<string, unknown> = {};
  if (filter?.number) where.id = await filterDocumentId(ctx.em, ProductionRunSchema, filter.number, 'filter.number');
  if (filter?.productionCompany)
    where.productionCompany = await filterReferenceId(ctx.em, CustomerSchema, filter.productionCompany, 'filter.productionCompany');
  if (filter?.status) where.status = filter.status;
  const { limit, offset } = offsetPage(page);
  const [runs, totalCount] = await ctx.em.findAndCount(ProductionRunSchema, where, { populate: POPULATE_RUN, orderBy: { id: 'asc' }, limit, offset });
  return offsetConnection(await runViews(ctx.em, runs), totalCount, offset);
}

export interface ProductionRunPayload {
  productionRun: ProductionRunView | null;
  errors: UserError[];
}

/** Creates a run (no number) or updates one; prebookLines, when given, replaces its lines. */
export async function saveProductionRun(ctx: RequestContext, input: ProductionRunInput): Promise<ProductionRunPayload> {
  if ((input.prebookLines?.length ?? 0) > MAX_UPSERT_ITEMS)
    return { productionRun: null, errors: [userError('TOO_MANY_ITEMS', `A run takes at most ${MAX_UPSERT_ITEMS} prebook lines`)] };
  return inTransaction(ctx, async (em) => {
    const v = new RowValidator(null);
    const run = input.number?.trim() ? await lockProductionRun(em, input.number) : null;
    if (input.number?.trim() && !run)
      return { productionRun: null, errors: [userError('NOT_FOUND', `no production run ${input.number}`, undefined, 'number')] };
    if (run && input.version != null && input.version !== run.version)
      v.fail('STALE_VERSION', 'version', `${run.number} was changed by someone else (version ${run.version}, yours ${input.version})`);

    const companies = await loadReferences(em, CustomerSchema, [input.productionCompany]);
    const company = checkReference(v, 'productionCompany', input.productionCompany, companies, {
      label: 'customer',
      unknown: 'UNKNOWN_CUSTOMER',
      required: !run,
    });
    if (company && company.kind !== 'PRODUCTION')
      v.fail('INVALID_VALUE', 'productionCompany', `${company.code} is a customer of kind ${company.kind}, not a production company (kind PRODUCTION)`);
    if (company && run && company.id !== run.productionCompany.id && run.transfers.length) {
      v.fail(
        'INVALID_VALUE',
        'productionCompany',
        `${run.number} already transferred components to ${run.productionCompany.code}: its production company cannot change`,
      );
    }

    let productionPurchaseOrder: PurchaseOrder | null | undefined;
    if (input.productionPurchaseOrder === null || input.productionPurchaseOrder?.trim() === '') productionPurchaseOrder = null;
    else if (input.productionPurchaseOrder) {
      const po = await em.findOne(PurchaseOrderSchema, { number: input.productionPurchaseOrder.trim().toUpperCase() }, { populate: ['vendor'] });
      if (!po) v.fail('NOT_FOUND', 'productionPurchaseOrder', `no purchase order ${input.productionPurchaseOrder}`);
      else if (po.vendor.kind !== 'PRODUCTION')
        v.fail(
          'INVALID_VALUE',
          'productionPurchaseOrder',
          `${po.number} is to ${po.vendor.code}, a ${po.vendor.kind} vendor: the production PO is to a PRODUCTION vendor`,
        );
      else productionPurchaseOrder = po;
    }

    let lines: PrebookLine[] | undefined;
    if (input.prebookLines) {
      const ids = input.prebookLines.map((id) => Number(id));
      const found = await em.find(
        PrebookLineSchema,
        { id: { $in: ids.filter((id) => Number.isSafeInteger(id) && id > 0 && id < 2 ** 31) } },
        { populate: ['prebook', 'product'] },
      );
      const byId = new Map(found.map((line) => [line.id, line]));
      const taken = await em.find(ProductionRunLineSchema, { prebookLine: { $in: found.map((l) => l.id) } }, { populate: ['productionRun'] });
      const otherRun = new Map(taken.filter((t) => t.productionRun.id !== run?.id).map((t) => [t.prebookLine.id, t.productionRun.number]));
      const own = new Set(run?.lines.getItems().map((l) => l.prebookLine.id) ?? []);
      const seen = new Set<number>();
      lines = [];
      input.prebookLines.forEach((raw, index) => {
        const field = `prebookLines.${index + 1}`;
        const line = byId.get(ids[index]);
        if (!line) v.fail('NOT_FOUND', field, `no prebook line ${raw}`);
        else if (seen.has(line.id)) v.fail('DUPLICATE_DOCUMENT', field, `prebook line ${raw} is listed twice`);
        else if (!line.product.recipe?.length)
          v.fail(
            'INVALID_VALUE',
            field,
            `${line.prebook.number} line ${line.lineNo} is ${line.product.code}, which has no recipe: a run makes finished goods with a recipe`,
          );
        else if (otherRun.has(line.id))
          v.fail('INVALID_VALUE', field, `${line.prebook.number} line ${line.lineNo} is already in production run ${otherRun.get(line.id)}`);
        else if (!own.has(line.id) && line.prebook.status !== 'OPEN') v.fail('INVALID_STATUS', field, `${line.prebook.number} is ${line.prebook.status}`);
        else lines!.push(line);
        if (line) seen.add(line.id);
      });
      if (input.prebookLines.length === 0) v.fail('REQUIRED', 'prebookLines', 'a run needs at least one finished-goods prebook line');
    } else if (!run) v.fail('REQUIRED', 'prebookLines', 'a run needs at least one finished-goods prebook line');
    if (!v.ok) return { productionRun: null, errors: v.errors };

    let saved = run;
    if (!saved) {
      const [number] = await nextDocumentNumbers(em, 'PR', 1);
      saved = em.create(ProductionRunSchema, {
        number,
        productionCompany: company!,
        productionPurchaseOrder: productionPurchaseOrder ?? null,
        status: input.status ?? 'OPEN',
      });
    } else {
      if (company) saved.productionCompany = company;
      if (productionPurchaseOrder !== undefined) saved.productionPurchaseOrder = productionPurchaseOrder;
      if (input.status) saved.status = input.status;
      saved.updatedAt = new Date();
    }
    if (lines) {
      const wanted = new Set(lines.map((l) => l.id));
      for (const existing of saved.lines.getItems()) if (!wanted.has(existing.prebookLine.id)) saved.lines.remove(existing);
      const kept = new Set(saved.lines.getItems().map((l) => l.prebookLine.id));
      for (const line of lines) if (!kept.has(line.id)) saved.lines.add(em.create(ProductionRunLineSchema, { productionRun: saved, prebookLine: line }));
    }
    await em.flush();
    recordAudit(em, ctx.actor, run ? 'update' : 'create', 'ProductionRun', saved.id, input);
    await em.flush();
    return { productionRun: await loadRunView(em, saved.id), errors: [] };
  });
}
