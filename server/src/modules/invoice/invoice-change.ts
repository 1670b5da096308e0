// What must follow, in the same transaction, whenever invoice lines change outside a billing run (which
// writes its own: billing-write.ts): modules that keep something per invoice from its lines (the charges
// module) register here, so this module calls them without depending on them.
import type { EntityManager } from '@mikro-orm/postgresql';

type LinesChanged = (em: EntityManager, invoiceIds: readonly number[]) => Promise<void>;
const hooks: LinesChanged[] = [];

/** Registers what runs after invoice lines changed (once per module, at its load). */
export function onInvoiceLinesChanged(hook: LinesChanged): void {
  if (!hooks.includes(hook)) hooks.push(hook);
}

/**
 * Tells the registered modules that these invoices' lines (or prices, or status) changed; call it after the
 * change is flushed and while the invoices are locked, in the same transaction.
 */
export async function invoiceLinesChanged(em: EntityManager, invoiceIds: readonly number[]): Promise<void> {
  const ids = [...new Set(invoiceIds)];
  if (ids.length === 0) return;
  for (const hook of hooks) await hook(em, ids);
}

/** Flushes the session's changes to invoice lines, then tells the registered modules (invoiceLinesChanged). */
export async function flushLinesChanged(em: EntityManager, invoiceIds: readonly number[]): Promise<void> {
  await em.flush();
  await invoiceLinesChanged(em, invoiceIds);
}
