import type { RequestContext } from '../../common/request-context';
import type { AutoBillingMode } from '../settings/settings.entity';
import { getSettings } from '../settings/settings.service';
import type { BoxBilling } from './billing.service';

/** BoxBilling as the API shows it: always an object, saying which autoBilling mode was in effect and whether billing ran for the box. */
export interface BoxBillingView extends BoxBilling {
  mode: AutoBillingMode;
  ran: boolean;
}

export function boxBillingView(label: string, billing: BoxBilling | null, mode: AutoBillingMode): BoxBillingView {
  return { ...(billing ?? { label, invoiceNumbers: [], issue: null, released: 0 }), mode, ran: billing !== null };
}

const modes = new WeakMap<RequestContext, Promise<AutoBillingMode>>();

/** The autoBilling mode a request's write ran under: its fields then need not read the settings again. */
export function rememberAutoBillingMode(ctx: RequestContext, mode: AutoBillingMode): void {
  if (!modes.has(ctx)) modes.set(ctx, Promise.resolve(mode));
}

/** The autoBilling setting, read once per request. */
export function autoBillingModeOf(ctx: RequestContext): Promise<AutoBillingMode> {
  let mode = modes.get(ctx);
  if (!mode) {
    mode = getSettings(ctx.em).then((settings) => settings.autoBilling);
    modes.set(ctx, mode);
  }
  return mode;
}
