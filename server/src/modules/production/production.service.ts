import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { canonicalDecimal, divRound, fromScaled } from '../../common/decimal';
import { nextDocumentNumbers } from '../../common/document-number.repository';
import { offsetConnection, offsetPage, type PageArgs } from '../../common/pagination';
import { checkReference, filterDocumentId, filterReferenceId, loadReferences } from '../../common/references';
import type { RequestContext } from '../../common/request-context';
import { RowValidator } from '../../common/row-validator';
import { inTransaction } from '../../common/transaction';
import { MAX_UPSERT_ITEMS } from '../../common/upsert-by-code';
import { userError, type UserError } from '../../common/user-error';
import type { ComponentNeedFilter, CreateComponentPurchaseOrdersInput, ProductionRunFilter, ProductionRunInput } from '../../generated/graphql';
import { recordAudit } from '../audit/audit.service';
import { CustomerSchema, type Customer } from '../customer/customer.entity';
import { claimIdempotencyKey, storeIdempotentResponse } from '../idempotency/idempotency.service';
import { InvoiceSchema, type Invoice } from '../invoice/invoice.entity';
import { createInvoice, POPULATE_INVOICE } from '../invoice/invoice.service';
import { LocationSchema, type Location } from '../location/location.entity';
import { checkDate } from '../prebook/order-line.validation';
import { PrebookLineSchema, type PrebookLine } from '../prebook/prebook.entity';
import { ProductSchema, type Product } from '../product/product.entity';
import { wholeBoxes } from '../purchase-order/purchase-from-prebooks.service';
import { PurchaseOrderSchema, type PurchaseOrder } from '../purchase-order/purchase-order.entity';
import { createPurchaseOrder, POPULATE_PURCHASE_ORDER } from '../purchase-order/purchase-order.service';
import { lockBillableBoxes } from '../box/billable-box';
import { companyToday } from '../settings/settings.service';
import { VendorSchema, type Vendor } from '../vendor/vendor.entity';
import { componentRows, recipeUnitCost, requiredByComponent, runCosts, scaledToDecimal, type RunLineData } from './production-costing';
import { currentLandedCosts, finishedGoodsByPurchaseOrder, lastPurchaseCosts, purchasedByRun, transferredByRun } from './production.repository';
import {
  ProductionRunLineSchema,
  ProductionRunPurchaseOrderSchema,
  ProductionRunSchema,
  ProductionRunTransferSchema,
  type ProductionRun,
} from './production-run.entity';
import { billedByPrebookLine } from '../prebook/prebook.repository';

const POPULATE_RUN = [
  'productionCompany',
  'productionPurchaseOrder',
  'lines',
  'lines.prebookLine',
  'lines.prebookLine.prebook',
  'lines.prebookLine.product',
  'transfers',
  'transfers.invoice',
  'transfers.invoice.lines',
  'componentOrders',
  'componentOrders.purchaseOrder',
] as const;

export interface ProductionRunComponentView {
  finishedProduct: Product;
  component: Product;
  required: string;
  transferred: number;
  short: string;
  over: string;
  transferredCost: string;
}

/** What productionRuns shows of a run: its documents and every number computed, money as exact decimals. */
export interface ProductionRunView {
  id: string;
  number: string;
  productionCompany: Customer;
  status: ProductionRun['status'];
  version: number;
  prebookLines: PrebookLine[];
  productionPurchaseOrder: PurchaseOrder | null;
  componentPurchaseOrders: PurchaseOrder[];
  transfers: Invoice[];
  components: ProductionRunComponentView[];
  finishedUnitsOrdered: number;
  finishedUnitsReceived: number;
  finishedUnitsBilled: number;
  componentCost: string;
  labourUnitCost: string | null;
  estimatedUnitCost: string | null;
  actualUnitCost: string | null;
  unitPrice: string | null;
  estimatedGpmPercent: string | null;
  actualGpmPercent: string | null;
  createdAt: Date;
}

function runLines(run: ProductionRun): RunLineData[] {
  return run.lines
    .getItems()
    .map((l) => l.prebookLine)
    .sort((a, b) => a.id - b.id)
    .map((line) => ({
      finishedProductId: line.product.id,
      units: line.units,
      cost: line.cost ?? null,
      price: line.price ?? null,
      recipe: line.product.recipe ?? [],
    }));
}

/** Computes the views of runs (loaded with POPULATE_RUN) in a few queries for all of them. */
async function runViews(em: EntityManager, runs: ProductionRun[]): Promise<ProductionRunView[]> {
  const runIds = runs.map((run) => run.id);
  const transferred = await transferredByRun(em, runIds);
  const poIds = runs.map((run) => run.productionPurchaseOrder?.id).filter((id): id is number => id != null);
  const finished = await finishedGoodsByPurchaseOrder(em, poIds);
  const lineIds = runs.flatMap((run) => run.lines.getItems().map((l) => l.prebookLine.id));
  const billed = await billedByPrebookLine(em, lineIds);
  const lines = runs.flatMap((run) => runLines(run));
  const productIds = new Set([...lines.map((l) => l.finishedProductId), ...lines.flatMap((l) => l.recipe.map((r) => r.product))]);
  const products = new Map((await em.find(ProductSchema, { id: { $in: [...productIds] } })).map((p) => [p.id, p]));
  await em.populate(
    runs.flatMap((run) => run.componentOrders.getItems().map((o) => o.purchaseOrder)),
    POPULATE_PURCHASE_ORDER as never,
  );
  if (poIds.length)
    await em.populate(
      runs.map((run) => run.productionPurchaseOrder).filter((po): po is PurchaseOrder => !!po),
      POPULATE_PURCHASE_ORDER as never,
    );

  return runs.map((run) => {
    const data = runLines(run);
    const sent = new Map(transferred.filter((t) => t.runId === run.id).map((t) => [t.productId, { units: t.units, cost: t.cost }]));
    const rows = componentRows(data, sent);
    const componentCost = [...sent.values()].reduce((sum, t) => sum + t.cost, 0n);
    const finishedIds = new Set(data.map((l) => l.finishedProductId));
    const goods = (run.productionPurchaseOrder ? (finished.get(run.productionPurchaseOrder.id) ?? []) : []).filter((g) => finishedIds.has(g.productId));
    const received = goods.reduce((sum, g) => sum + g.received, 0);
    const orderedOnPo = goods.reduce((sum, g) => sum + g.ordered, 0);
    const labourUnitCost =
      orderedOnPo > 0
        ? fromScaled(
            divRound(
              goods.reduce((sum, g) => sum + g.cost, 0n),
              BigInt(orderedOnPo),
            ),
            2,
          )
        : null;
    const costs = runCosts(data, componentCost, received, labourUnitCost);
    const prebookLines = run.lines
      .getItems()
      .map((l) => l.prebookLine)
      .sort((a, b) => a.id - b.id);
    return {
      id: String(run.id),
      number: run.number,
      productionCompany: run.productionCompany,
      status: run.status,
      version: run.version,
      prebookLines,
      productionPurchaseOrder: run.productionPurchaseOrder ?? null,
      componentPurchaseOrders: run.componentOrders
        .getItems()
        .map((o) => o.purchaseOrder)
        .sort((a, b) => a.id - b.id),
      transfers: run.transfers
        .getItems()
        .map((t) => t.invoice)
        .sort((a, b) => a.id - b.id),
      components: rows.map((row) => ({
        finishedProduct: products.get(row.finishedProductId)!,
        component: products.get(row.componentId)!,
        required: scaledToDecimal(row.required),
        transferred: row.transferred,
        short: scaledToDecimal(row.short),
        over: scaledToDecimal(row.over),
        transferredCost: fromScaled(row.transferredCost, 2),
      })),
      finishedUnitsOrdered: data.reduce((sum, l) => sum + l.units, 0),
      finishedUnitsReceived: received,
      finishedUnitsBilled: prebookLines.reduce((sum, l) => sum + (billed.get(l.id)?.units ?? 0), 0),
      componentCost: fromScaled(componentCost, 2),
      labourUnitCost,
      ...costs,
      createdAt: run.createdAt,
    };
  });
}

async function loadRunView(em: EntityManager, id: number): Promise<ProductionRunView> {
  const run = await em.findOneOrFail(ProductionRunSchema, id, { populate: POPULATE_RUN as never, refresh: true });
  return (await runViews(em, [run]))[0];
}

export async function listProductionRuns(ctx: RequestContext, filter: ProductionRunFilter | null | undefined, page: PageArgs) {
  const where: Record<string, unknown> = {};
  if (filter?.number) where.id = await filterDocumentId(ctx.em, ProductionRunSchema, filter.number, 'filter.number');
  if (filter?.productionCompany)
    where.productionCompany = await filterReferenceId(ctx.em, CustomerSchema, filter.productionCompany, 'filter.productionCompany');
  if (filter?.status) where.status = filter.status;
  const { limit, offset } = offsetPage(page);
  const [runs, totalCount] = await ctx.em.findAndCount(ProductionRunSchema, where, { populate: POPULATE_RUN as never, orderBy: { id: 'asc' }, limit, offset });
  return offsetConnection(await runViews(ctx.em, runs), totalCount, offset);
}

async function lockRun(em: EntityManager, number: string): Promise<ProductionRun | null> {
  const run = await em.findOne(ProductionRunSchema, { number: number.trim().toUpperCase() }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (run) await em.populate(run, POPULATE_RUN as never, { refresh: true });
  return run;
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
    const run = input.number?.trim() ? await lockRun(em, input.number) : null;
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
      const po = await em.findOne(PurchaseOrderSchema, { number: input.productionPurchaseOrder.trim().toUpperCase() }, { populate: ['vendor'] as never });
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
        { populate: ['prebook', 'product'] as never },
      );
      const byId = new Map(found.map((line) => [line.id, line]));
      const taken = await em.find(ProductionRunLineSchema, { prebookLine: { $in: found.map((l) => l.id) } }, { populate: ['productionRun'] as never });
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
      } as never);
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
      for (const line of lines)
        if (!kept.has(line.id)) saved.lines.add(em.create(ProductionRunLineSchema, { productionRun: saved, prebookLine: line } as never));
    }
    await em.flush();
    recordAudit(em, ctx.actor, run ? 'update' : 'create', 'ProductionRun', saved.id, input);
    await em.flush();
    return { productionRun: await loadRunView(em, saved.id), errors: [] };
  });
}

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
        invoice: invoiceId ? await em.findOne(InvoiceSchema, invoiceId, { populate: POPULATE_INVOICE as never }) : null,
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

    const run = await lockRun(em, runNumber);
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
    em.create(ProductionRunTransferSchema, { productionRun: run, invoice: em.getReference(InvoiceSchema, result.invoice.id) } as never);
    await em.flush();
    recordAudit(em, ctx.actor, 'transfer-components', 'ProductionRun', run.id, { invoice: result.invoice.number, labels });
    await em.flush();
    return finish({ invoice: result.invoice, productionRun: await loadRunView(em, run.id), errors: [] });
  });
}

export interface ComponentNeedView {
  productionRunNumber: string;
  productionCompany: Customer;
  component: Product;
  required: string;
  purchased: number;
  transferredFromStock: number;
  quantity: string;
  boxes: number;
  unitsPerBox: number;
  lastUnitCost: string | null;
}

/** What the recipes of each open run still need per component, less what its POs bought and what stock it was sent. */
async function computeNeeds(em: EntityManager, runs: ProductionRun[]): Promise<ComponentNeedView[]> {
  const runIds = runs.map((run) => run.id);
  const purchased = await purchasedByRun(em, runIds);
  const transferred = await transferredByRun(em, runIds);
  const required = runs.map((run) => ({ run, required: requiredByComponent(runLines(run)) }));
  const componentIds = [...new Set(required.flatMap((r) => [...r.required.keys()]))];
  const components = new Map((await em.find(ProductSchema, { id: { $in: componentIds } }, { populate: ['defaultBoxType'] as never })).map((p) => [p.id, p]));
  const lastCosts = await lastPurchaseCosts(em, componentIds);
  const needs: ComponentNeedView[] = [];
  for (const { run, required: byComponent } of required) {
    for (const [componentId, requiredUnits] of byComponent) {
      const bought = purchased.find((p) => p.runId === run.id && p.productId === componentId)?.units ?? 0;
      const fromStock = transferred.find((t) => t.runId === run.id && t.productId === componentId)?.unitsFromStock ?? 0;
      const left = requiredUnits - BigInt(bought + fromStock) * 10_000n;
      if (left <= 0n) continue;
      const component = components.get(componentId)!;
      const units = Number((left + 9_999n) / 10_000n);
      needs.push({
        productionRunNumber: run.number,
        productionCompany: run.productionCompany,
        component,
        required: scaledToDecimal(requiredUnits),
        purchased: bought,
        transferredFromStock: fromStock,
        quantity: scaledToDecimal(left),
        boxes: wholeBoxes(units, component.defaultUnitsPerBox),
        unitsPerBox: component.defaultUnitsPerBox,
        lastUnitCost: lastCosts.get(componentId) ?? null,
      });
    }
  }
  return needs;
}

export async function listComponentNeeds(ctx: RequestContext, filter: ComponentNeedFilter | null | undefined, page: PageArgs) {
  const where: Record<string, unknown> = { status: 'OPEN' };
  if (filter?.productionRun) where.id = await filterDocumentId(ctx.em, ProductionRunSchema, filter.productionRun, 'filter.productionRun');
  if (filter?.productionCompany)
    where.productionCompany = await filterReferenceId(ctx.em, CustomerSchema, filter.productionCompany, 'filter.productionCompany');
  const componentId = filter?.component ? await filterReferenceId(ctx.em, ProductSchema, filter.component, 'filter.component') : null;
  const { limit, offset } = offsetPage(page);
  const runs = await ctx.em.find(ProductionRunSchema, where, { populate: POPULATE_RUN as never, orderBy: { id: 'asc' } });
  const needs = (await computeNeeds(ctx.em, runs)).filter((need) => componentId === null || need.component.id === componentId);
  return offsetConnection(needs.slice(offset, offset + limit), needs.length, offset);
}

export interface ComponentOrdersPayload {
  purchaseOrders: PurchaseOrder[];
  productionRun: ProductionRunView | null;
  errors: UserError[];
}

/**
 * Buys a run's component needs: each listed component's whole need, rounded up to whole boxes of its
 * default box (as purchase needs are), on one PO per vendor and location, for the production company.
 */
export async function createComponentPurchaseOrders(
  ctx: RequestContext,
  input: CreateComponentPurchaseOrdersInput,
  idempotencyKey?: string | null,
): Promise<ComponentOrdersPayload> {
  if (input.components.length > MAX_UPSERT_ITEMS)
    return { purchaseOrders: [], productionRun: null, errors: [userError('TOO_MANY_ITEMS', `A call takes at most ${MAX_UPSERT_ITEMS} components`)] };
  return inTransaction(ctx, async (em) => {
    const claim = await claimIdempotencyKey<{ ids: number[]; runId: number | null; errors: UserError[] }>(
      ctx,
      em,
      'createComponentPurchaseOrders',
      idempotencyKey,
      input,
    );
    if ('conflict' in claim) return { purchaseOrders: [], productionRun: null, errors: [claim.conflict] };
    if (claim.replayed) {
      const found = await em.find(
        PurchaseOrderSchema,
        { id: { $in: claim.response.ids } },
        { populate: POPULATE_PURCHASE_ORDER as never, orderBy: { id: 'asc' } },
      );
      return { purchaseOrders: found, productionRun: claim.response.runId ? await loadRunView(em, claim.response.runId) : null, errors: claim.response.errors };
    }
    const finish = async (payload: ComponentOrdersPayload) => {
      if (claim.claimed)
        await storeIdempotentResponse(em, ctx, idempotencyKey!, {
          ids: payload.purchaseOrders.map((po) => po.id),
          runId: payload.productionRun ? Number(payload.productionRun.id) : null,
          errors: payload.errors,
        });
      return payload;
    };

    const run = await lockRun(em, input.productionRun);
    if (!run)
      return finish({
        purchaseOrders: [],
        productionRun: null,
        errors: [userError('NOT_FOUND', `no production run ${input.productionRun}`, undefined, 'productionRun')],
      });
    if (run.status !== 'OPEN')
      return finish({
        purchaseOrders: [],
        productionRun: null,
        errors: [userError('INVALID_STATUS', `${run.number} is ${run.status}`, undefined, 'productionRun')],
      });
    const v = new RowValidator(null);
    const shipDate = checkDate(v, 'shipDate', input.shipDate, false);
    const port = input.portOfOrigin?.trim() ? v.code('portOfOrigin', input.portOfOrigin) : null;
    if (input.components.length === 0) v.fail('REQUIRED', 'components', 'name at least one component to buy');
    const needs = await computeNeeds(em, [run]);
    const components = await loadReferences(
      em,
      ProductSchema,
      input.components.map((c) => c.component),
    );
    const vendors = await loadReferences(
      em,
      VendorSchema,
      input.components.map((c) => c.vendor),
    );
    const locations = await loadReferences(
      em,
      LocationSchema,
      input.components.map((c) => c.location),
    );
    const seen = new Set<number>();
    const groups = new Map<string, { vendor: Vendor; location: Location; lines: Array<{ product: Product; boxes: number; unitCost: string }> }>();
    input.components.forEach((item, index) => {
      const rv = new RowValidator(index + 1, `components.${index + 1}`);
      const component = checkReference(rv, 'component', item.component, components, {
        label: 'product',
        unknown: 'UNKNOWN_PRODUCT',
        ambiguous: 'AMBIGUOUS_PRODUCT',
        required: true,
      });
      const vendor = checkReference(rv, 'vendor', item.vendor, vendors, { label: 'vendor', unknown: 'UNKNOWN_VENDOR', required: true });
      const location = checkReference(rv, 'location', item.location, locations, { label: 'location', unknown: 'UNKNOWN_LOCATION', required: true });
      const unitCost = rv.decimal('unitCost', item.unitCost, { required: false, nullable: true, min: 0, max: 1e9, maxScale: 4 });
      const need = component ? needs.find((n) => n.component.id === component.id) : undefined;
      if (component && seen.has(component.id)) rv.fail('DUPLICATE_DOCUMENT', 'component', `${component.code} is listed twice`);
      else if (component && !need)
        rv.fail('NOTHING_TO_PURCHASE', 'component', `${run.number} needs no more ${component.code} (not in its recipes, or already bought or transferred)`);
      if (component) seen.add(component.id);
      const cost = unitCost ?? need?.lastUnitCost ?? null;
      if (need && cost == null) rv.fail('MISSING_COST', 'unitCost', `${need.component.code} was never bought: give unitCost`);
      if (vendor && !port && !vendor.defaultPortOfOrigin)
        rv.fail('REQUIRED', 'portOfOrigin', `vendor ${vendor.code} has no default port of origin: give portOfOrigin`);
      v.errors.push(...rv.errors);
      if (rv.ok && need && vendor && location && cost != null) {
        const key = `${vendor.id}:${location.id}`;
        const group = groups.get(key) ?? { vendor, location, lines: [] };
        group.lines.push({ product: need.component, boxes: need.boxes, unitCost: canonicalDecimal(cost)! });
        groups.set(key, group);
      }
    });
    if (v.errors.length || shipDate === undefined || port === undefined) return finish({ purchaseOrders: [], productionRun: null, errors: v.errors });

    const today = await companyToday(em);
    const numbers = await nextDocumentNumbers(em, 'PO', groups.size);
    const purchaseOrders = [...groups.values()].map((group, i) =>
      createPurchaseOrder(em, numbers[i], {
        vendor: group.vendor,
        customer: run.productionCompany,
        location: group.location,
        shipDate: shipDate ?? today,
        portOfOrigin: port ?? group.vendor.defaultPortOfOrigin!,
        lines: group.lines.map((line) => ({
          product: line.product,
          boxType: line.product.defaultBoxType,
          boxes: line.boxes,
          unitsPerBox: line.product.defaultUnitsPerBox,
          unitCost: line.unitCost,
          links: [],
        })),
      }),
    );
    for (const purchaseOrder of purchaseOrders) em.create(ProductionRunPurchaseOrderSchema, { productionRun: run, purchaseOrder } as never);
    await em.flush();
    for (const purchaseOrder of purchaseOrders) recordAudit(em, ctx.actor, 'create-for-production-run', 'PurchaseOrder', purchaseOrder.id, input);
    await em.flush();
    return finish({ purchaseOrders, productionRun: await loadRunView(em, run.id), errors: [] });
  });
}

/**
 * suggestedUnitCost of a finished-goods prebook line saved without a cost: its recipe at each component's
 * current landed cost (else last purchase cost) plus the product's last labour cost. Never written.
 */
export async function suggestedUnitCost(ctx: RequestContext, line: Pick<PrebookLine, 'cost' | 'product'>): Promise<string | null> {
  if (line.cost != null) return null;
  const product = await ctx.loaders.reference(ProductSchema)(line.product);
  const recipe = product?.recipe ?? [];
  if (!product || recipe.length === 0) return null;
  const ids = recipe.map((entry) => entry.product);
  const landed = await currentLandedCosts(ctx.em, ids);
  const last = await lastPurchaseCosts(ctx.em, ids);
  const costs = new Map<number, string>();
  for (const id of ids) {
    const cost = landed.get(id) ?? last.get(id);
    if (cost != null) costs.set(id, cost);
  }
  const labour = (await lastPurchaseCosts(ctx.em, [product.id], { productionVendorsOnly: true })).get(product.id) ?? null;
  return recipeUnitCost(recipe, costs, labour);
}

/** The production run a TRANSFER invoice belongs to. */
export async function productionRunNumberOfInvoice(ctx: RequestContext, invoice: Invoice): Promise<string | null> {
  if (invoice.kind !== 'TRANSFER') return null;
  const link = await ctx.em.findOne(ProductionRunTransferSchema, { invoice: invoice.id }, { populate: ['productionRun'] as never });
  return link?.productionRun.number ?? null;
}
