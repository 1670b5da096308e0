import type { EntityManager } from '@mikro-orm/postgresql';
import { canonicalDecimal } from '../../common/decimal';
import { nextDocumentNumbers } from '../../common/document-number.repository';
import { offsetConnection, offsetPage, type PageArgs } from '../../common/pagination';
import { checkReference, filterDocumentId, filterReferenceId, loadReferences } from '../../common/references';
import type { RequestContext } from '../../common/request-context';
import { RowValidator } from '../../common/row-validator';
import { inTransaction } from '../../common/transaction';
import { MAX_UPSERT_ITEMS } from '../../common/upsert-by-code';
import { userError, type UserError } from '../../common/user-error';
import type { ComponentNeedFilter, CreateComponentPurchaseOrdersInput } from '../../generated/graphql';
import { recordAudit } from '../audit/audit.service';
import { CustomerSchema, type Customer } from '../customer/customer.entity';
import { claimIdempotencyKey, storeIdempotentResponse } from '../idempotency/idempotency.service';
import { LocationSchema, type Location } from '../location/location.entity';
import { checkDate } from '../prebook/order-line.validation';
import { ProductSchema, type Product } from '../product/product.entity';
import { wholeBoxes } from '../purchase-order/purchase-from-prebooks.service';
import { PurchaseOrderSchema, type PurchaseOrder } from '../purchase-order/purchase-order.entity';
import { createPurchaseOrder, POPULATE_PURCHASE_ORDER } from '../purchase-order/purchase-order.service';
import { companyToday } from '../settings/settings.service';
import { VendorSchema, type Vendor } from '../vendor/vendor.entity';
import { requiredByComponent, scaledToDecimal } from './production-costing';
import { lastPurchaseCosts, purchasedByRun, transferredByRun } from './production.repository';
import { ProductionRunPurchaseOrderSchema, ProductionRunSchema, type ProductionRun } from './production-run.entity';
import { loadRunView, lockProductionRun, POPULATE_RUN, runLines, type ProductionRunView } from './production-run.view';

// Buying a run's components: what its recipes still need (componentNeeds) and the POs that buy it.

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
  const components = new Map((await em.find(ProductSchema, { id: { $in: componentIds } }, { populate: ['defaultBoxType'] })).map((p) => [p.id, p]));
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
  const runs = await ctx.em.find(ProductionRunSchema, where, { populate: POPULATE_RUN, orderBy: { id: 'asc' } });
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
      const found = await em.find(PurchaseOrderSchema, { id: { $in: claim.response.ids } }, { populate: POPULATE_PURCHASE_ORDER, orderBy: { id: 'asc' } });
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

    const run = await lockProductionRun(em, input.productionRun);
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
    for (const purchaseOrder of purchaseOrders) em.create(ProductionRunPurchaseOrderSchema, { productionRun: run, purchaseOrder });
    await em.flush();
    for (const purchaseOrder of purchaseOrders) recordAudit(em, ctx.actor, 'create-for-production-run', 'PurchaseOrder', purchaseOrder.id, input);
    await em.flush();
    return finish({ purchaseOrders, productionRun: await loadRunView(em, run.id), errors: [] });
  });
}
