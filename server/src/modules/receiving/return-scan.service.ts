// Return scans: a box that left the warehouse on its invoice is brought back (the truck returned it, the customer refused it).
import { actorLabel, type RequestContext } from '../../common/request-context';
import { inTransaction } from '../../common/transaction';
import { MAX_UPSERT_ITEMS } from '../../common/upsert-by-code';
import { recordAudits } from '../audit/audit.service';
import { lockBoxesForReturn, markBoxesReturned, selectLiveInvoiceNumbersOfBoxes, type ReturnBoxRow } from './receiving.repository';
import type { ScanOutcome, ScanResult } from './scan-boxes.service';

/** What a return scan makes of one box (pure): brought back, or why not and what to do instead. */
export function returnOutcome(
  label: string,
  box: Pick<ReturnBoxRow, 'status' | 'shipped_out_at' | 'returned_at'> | null,
): { outcome: ScanOutcome; message: string } {
  if (!box) return { outcome: 'UNKNOWN_LABEL', message: `no box ${label}` };
  if (box.status === 'VOID') return { outcome: 'VOID_BOX', message: `${label} is void (written off): it cannot be brought back` };
  if (box.status === 'STAGED')
    return { outcome: 'STILL_STAGED', message: `${label} is still in staging and was never sold: receive it with an INBOUND scan, not a RETURN scan` };
  if (box.status !== 'INVOICED')
    return { outcome: 'NOT_INVOICED', message: `${label} is on no invoice (${box.status}): it was not sold, so it is still stock; nothing changed` };
  if (box.shipped_out_at) return { outcome: 'SCANNED', message: `${label} brought back: in the warehouse again` };
  if (box.returned_at)
    return { outcome: 'ALREADY_SCANNED', message: `${label} was already brought back (${new Date(box.returned_at).toISOString()}): nothing changed` };
  return {
    outcome: 'NEVER_LEFT',
    message: `${label} never left the warehouse (no outbound scan): there is nothing to bring back; a credit can return its units to stock as it is`,
  };
}

/**
 * A RETURN scan: each invoiced box that was scanned out is in the warehouse again (no longer shipped out), with
 * when, by whom and why it came back, so a credit can return its units to stock. It never changes billing: the
 * box stays on its invoice as billed, and the money goes back only through a credit. Boxes are locked first, by
 * id; every other label gets its own outcome and message, never a failed call.
 */
export async function returnBoxes(ctx: RequestContext, labels: string[], reason: string | null): Promise<{ results: ScanResult[] }> {
  return inTransaction(ctx, async (em) => {
    const trimmed = labels.slice(0, MAX_UPSERT_ITEMS).map((l) => l.trim());
    const why = reason?.trim() || null;
    const boxes = new Map((await lockBoxesForReturn(em, trimmed)).map((row) => [row.label, { ...row, id: Number(row.id) }]));
    const returning = new Set<number>();
    const results: ScanResult[] = trimmed.map((label) => {
      const box = boxes.get(label) ?? null;
      // A label scanned twice in one call is brought back once; the second says so.
      const { outcome, message } =
        box && returning.has(box.id)
          ? { outcome: 'ALREADY_SCANNED' as const, message: `${label} is already brought back by this scan` }
          : returnOutcome(label, box);
      if (outcome === 'SCANNED') returning.add(box!.id);
      return { label, outcome, message, boxId: box?.id ?? null, billing: null, shippingLabel: null };
    });
    if (returning.size === 0) return { results };
    const ids = [...returning];
    const invoiceOf = new Map((await selectLiveInvoiceNumbersOfBoxes(em, ids)).map((row) => [row.label, row.number]));
    for (const result of results) {
      const number = invoiceOf.get(result.label);
      if (result.outcome === 'SCANNED' && number) result.message += `, still on ${number} as billed; a credit with restock returns its units to stock`;
    }
    await markBoxesReturned(em, ids, new Date(), actorLabel(ctx.actor), why);
    const scanned = results.filter((r) => r.outcome === 'SCANNED').map((r) => ({ label: r.label, invoice: invoiceOf.get(r.label) ?? null }));
    await recordAudits(em, ctx.actor, [
      { action: 'scan-return', entity: 'Box', entityId: scanned.length === 1 ? ids[0] : 'many', payload: { boxes: scanned, reason: why } },
    ]);
    return { results };
  });
}
