// What must follow, in the same transaction, when applyPriceLists fills prices of invoice lines: the
// server registers the invoice module's invoiceLinesChanged here (app.ts), so that the charges computed
// from an invoice's lines follow, without this module depending on the invoice module.
import type { EntityManager } from '@mikro-orm/postgresql';

type PricesFilled = (em: EntityManager, invoiceIds: readonly number[]) => Promise<void>;
const hooks: PricesFilled[] = [];

/** Registers what runs after invoice line prices were filled from the lists (once, at start). */
export function onInvoicePricesFilled(hook: PricesFilled): void {
  if (!hooks.includes(hook)) hooks.push(hook);
}

/** Tells the registered modules that these invoices' prices changed (after the change, while they are locked). */
export async function invoicePricesFilled(em: EntityManager, invoiceIds: readonly number[]): Promise<void> {
  const ids = [...new Set(invoiceIds)];
  if (ids.length === 0) return;
  for (const hook of hooks) await hook(em, ids);
}
