import type { RequestContext } from '../../common/request-context';
import type { PrebookLine } from '../prebook/prebook.entity';
import { ProductSchema } from '../product/product.entity';
import { recipeUnitCost } from './production-costing';
import { currentLandedCosts, lastPurchaseCosts } from './production.repository';

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
