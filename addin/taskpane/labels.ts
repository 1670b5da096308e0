// Readable names for the server's enums, as the task pane shows them.

export const AUTO_BILLING_LABELS: Record<string, string> = {
  OFF: 'off',
  ON_OUTBOUND_SCAN: 'when a box is scanned out of the warehouse',
  ON_MANUAL_CONFIRMATION: 'when boxes are confirmed from staging',
  ON_INCOMING_SCAN_OR_CONFIRMATION: 'when a box is scanned in or confirmed from staging',
};

export { ROLE_WORDS as ROLE_LABELS } from '../api/connection-errors';

export const PREBOOK_STATUSES: Array<[string, string]> = [
  ['', 'Any status'],
  ['OPEN', 'Open'],
  ['CLOSED', 'Closed (completed)'],
  ['CANCELLED', 'Cancelled'],
];
export const PURCHASE_ORDER_STATUSES: Array<[string, string]> = [
  ['', 'Any status'],
  ['OPEN', 'Open (editable)'],
  ['CONFIRMED', 'Confirmed by the vendor'],
  ['SHIPPED', 'Shipped (in staging)'],
  ['RECEIVED', 'Received'],
  ['CANCELLED', 'Cancelled'],
];
export const PRODUCTION_RUN_STATUSES: Array<[string, string]> = [
  ['', 'Any status'],
  ['OPEN', 'Open'],
  ['CLOSED', 'Closed'],
];

export const INVOICE_STATUSES: Array<[string, string]> = [
  ['', 'Any status'],
  ['PENDING', 'Pending'],
  ['CONFIRMED', 'Confirmed'],
  ['VOID', 'Void'],
];

export const CREDIT_STATUSES: Array<[string, string]> = [
  ['', 'Any status'],
  ['PENDING', 'Pending (to approve)'],
  ['APPROVED', 'Approved'],
  ['REJECTED', 'Rejected'],
  ['VOID', 'Void'],
];

/** The readable name of an enum value, or the value itself when it has none. */
export function label(labels: Record<string, string>, value: string): string {
  return labels[value] ?? value.toLowerCase().replace(/_/g, ' ');
}

export const PAYMENT_STATUSES: Array<[string, string]> = [
  ['', 'Any status'],
  ['POSTED', 'Posted'],
  ['VOID', 'Void (bounced)'],
];
