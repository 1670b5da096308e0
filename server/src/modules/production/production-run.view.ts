import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { divRound, fromScaled } from '../../common/decimal';
import type { Customer } from '../customer/customer.entity';
import type { Invoice } from '../invoice/invoice.entity';
import { billedByPrebookLine } from '../prebook/prebook.repository';
import type { PrebookLine } from '../prebook/prebook.entity';
import { ProductSchema, type Product } from '../product/product.entity';
import type { PurchaseOrder } from '../purchase-order/purchase-order.entity';
import { POPULATE_PURCHASE_ORDER } from '../purchase-order/purchase-order.service';
import { componentRows, runCosts, scaledToDecimal, type RunLineData } from './production-costing';
import { finishedGoodsByPurchaseOrder, transferredByRun } from './production.repository';
import { ProductionRunSchema, type ProductionRun } from './production-run.entity';

// What a production run shows (productionRuns and every mutation's payload), and how a run is read for a change.

/** A run with everything its view reads. */
export const POPULATE_RUN = [
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

/** The finished-goods lines of a run, in prebook-line order, as the costing reads them. */
export function runLines(run: ProductionRun): RunLineData[] {
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
export async function runViews(em: EntityManager, runs: ProductionRun[]): Promise<ProductionRunView[]> {
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
    POPULATE_PURCHASE_ORDER,
  );
  if (poIds.length)
    await em.populate(
      runs.map((run) => run.productionPurchaseOrder).filter((po): po is PurchaseOrder => !!po),
      POPULATE_PURCHASE_ORDER,
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

/** One run's view, read afresh. */
export async function loadRunView(em: EntityManager, id: number): Promise<ProductionRunView> {
  const run = await em.findOneOrFail(ProductionRunSchema, id, { populate: POPULATE_RUN, refresh: true });
  return (await runViews(em, [run]))[0];
}

/** A run by number, locked (FOR UPDATE) and loaded as its view reads it; null when there is none. */
export async function lockProductionRun(em: EntityManager, number: string): Promise<ProductionRun | null> {
  const run = await em.findOne(ProductionRunSchema, { number: number.trim().toUpperCase() }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (run) await em.populate(run, POPULATE_RUN, { refresh: true });
  return run;
}
