import { suggestedPrice } from '../../common/decimal';
import type { RequestContext } from '../../common/request-context';
import { CustomerSchema, type Customer } from '../customer/customer.entity';
import { requestSettings } from '../settings/settings.service';

/**
 * suggestedUnitPrice of a line whose price is pending: cost / (1 - target GPM), the customer's target or
 * else the settings'. Only a suggestion, never written into a price; a price of 0.00 is not pending.
 * Staff only: it discloses the cost.
 */
export async function suggestedUnitPrice(
  ctx: RequestContext,
  price: string | null | undefined,
  cost: string | null | undefined,
  customer: Customer | null | undefined,
): Promise<string | null> {
  if (price != null || cost == null || ctx.actor.role === 'CUSTOMER') return null;
  const loaded = customer ? await ctx.loaders.reference(CustomerSchema)(customer) : null;
  const target = loaded?.targetGpm ?? (await requestSettings(ctx.em)).targetGpm;
  return suggestedPrice(cost, target);
}
