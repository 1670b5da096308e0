// Where each printable document is served: relative paths, the same on every server of the deployment.
import type { DocumentFormat } from './documents.service';

function withFormat(path: string, params: Record<string, string>, format: DocumentFormat): string {
  const query = new URLSearchParams(params);
  if (format !== 'pdf') query.set('format', format);
  return `${path}?${query.toString()}`;
}

export const documentUrls = {
  boxLabels: (labels: string[], format: DocumentFormat = 'pdf') => withFormat('/documents/box-labels', { labels: labels.join(',') }, format),
  purchaseOrderLabels: (number: string, format: DocumentFormat = 'pdf') => withFormat('/documents/box-labels', { purchaseOrder: number }, format),
  shipmentLabels: (shipmentId: number, format: DocumentFormat = 'pdf') => withFormat('/documents/box-labels', { shipment: String(shipmentId) }, format),
  shippingLabels: (labels: string[], format: DocumentFormat = 'pdf') => withFormat('/documents/shipping-labels', { labels: labels.join(',') }, format),
  invoiceShippingLabels: (number: string, format: DocumentFormat = 'pdf') => withFormat('/documents/shipping-labels', { invoice: number }, format),
  pickTicket: (number: string) => `/documents/pick-tickets/${encodeURIComponent(number)}`,
  creditAttachment: (creditNumber: string, id: number | string) => `/documents/credits/${encodeURIComponent(creditNumber)}/attachments/${id}`,
  creditMemo: (creditNumber: string) => `/documents/credit-memos/${encodeURIComponent(creditNumber)}`,
};
