// What a scanned label that is not in the counted location's inventory means, and what to do: pure.
import type { BoxStatus } from '../box/box.entity';

export type CountFinding = 'MISSING' | 'STAGED' | 'INVOICED' | 'SHIPPED' | 'VOID' | 'OTHER_LOCATION' | 'UNKNOWN';

/** A scanned label as the repository reads it: the box it names, if any. */
export interface ScannedBox {
  status: BoxStatus | null;
  locationId: number | null;
  locationCode: string | null;
  shippedOut: boolean;
  invoiceNumber: string | null;
}

/** The finding of a scanned label at a count of `locationId`; null when the box is in inventory there (it matches). */
export function scannedFinding(box: ScannedBox, locationId: number): { finding: CountFinding; action: string } | null {
  switch (box.status) {
    case null:
      return { finding: 'UNKNOWN', action: 'No box has this label: check the label for a misread, or find the box it belongs to and relabel it.' };
    case 'STAGED':
      return { finding: 'STAGED', action: 'The box is still in staging: receive it and confirm it into inventory (confirmStaging).' };
    case 'INVOICED':
      return box.shippedOut
        ? {
            finding: 'SHIPPED',
            action: `The box was invoiced on ${box.invoiceNumber ?? 'an invoice'} and scanned out: it should have left; check that invoice and what the customer received. If it came back (refused, returned by the truck), record that with a RETURN scan (scanBoxes).`,
          }
        : { finding: 'INVOICED', action: `The box is invoiced on ${box.invoiceNumber ?? 'an invoice'} but not shipped: pick it for that invoice and ship it.` };
    case 'VOID':
      return { finding: 'VOID', action: 'The box was written off (void) but is here: set it aside and check its adjustments; a void box cannot be sold.' };
    case 'IN_INVENTORY':
      return box.locationId === locationId
        ? null
        : {
            finding: 'OTHER_LOCATION',
            action: `The box is in inventory at ${box.locationCode ?? 'another location'}: correct its location or send it back there.`,
          };
  }
}

/** What to do about a box expected and not scanned. */
export function missingAction(): string {
  return 'Not scanned: look for it and scan it; closing the count with applyMissingAs writes its units off.';
}
