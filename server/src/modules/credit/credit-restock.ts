// Returning a QUANTITY credit line's units to stock: which boxes they come back from (pure).

/** A box an invoice line took, as the restock plan reads it. */
export interface RestockSource {
  boxId: number;
  label: string;
  /** Units the invoice line took from the box. */
  taken: number;
  /** Units APPROVED credits of the same invoice line already returned from it. */
  restocked: number;
  /** The box left the warehouse (an outbound scan, and no return scan since): its units are with the customer. */
  shippedOut: boolean;
}

export type RestockPlan<S extends RestockSource> =
  { ok: true; takes: Array<{ source: S; units: number }> } | { ok: false; restockable: number; shipped: string[] };

/**
 * Takes `units` from the boxes of the line that are in the warehouse (never left, or brought back), in the order given (box id),
 * each up to what the line took from it less what was already returned. Refused with the units that can
 * still be returned (and the labels that left) when they are not enough.
 */
export function planRestock<S extends RestockSource>(units: number, sources: readonly S[]): RestockPlan<S> {
  const open = sources.filter((source) => !source.shippedOut);
  const restockable = open.reduce((sum, source) => sum + Math.max(0, source.taken - source.restocked), 0);
  if (units > restockable) return { ok: false, restockable, shipped: sources.filter((source) => source.shippedOut).map((source) => source.label) };
  const takes: Array<{ source: S; units: number }> = [];
  let left = units;
  for (const source of open) {
    if (left === 0) break;
    const take = Math.min(left, Math.max(0, source.taken - source.restocked));
    if (take > 0) takes.push({ source, units: take });
    left -= take;
  }
  return { ok: true, takes };
}

/** The refusal's message: names the line, the units it can return and why the rest cannot come back. */
export function restockRefusal(line: string, asked: number, plan: { restockable: number; shipped: string[] }): string {
  const shipped = plan.shipped.length
    ? `; ${plan.shipped.slice(0, 5).join(', ')}${plan.shipped.length > 5 ? ` and ${plan.shipped.length - 5} more` : ''} left the warehouse (outbound scan)`
    : '';
  const what = plan.shipped.length
    ? 'Units that left are written off: leave restock out, or record boxes that came back with a RETURN scan (scanBoxes) first'
    : 'Units that left are written off: leave restock out';
  return `${line}: ${plan.restockable} unit(s) can go back to stock, ${asked} asked${shipped}. ${what}`;
}
