// What a worker renders: a document's data in, its bytes out. Pure (no database, no request): the
// render pool sends these to worker threads so a long document never holds the event loop.
import { boxLabelsPdf, boxLabelsZpl } from './box-label.document';
import type { BoxLabelData, PickTicketData, Seller, ShippingLabelData } from './document-data';
import type { CreditMemoData } from './credit-memo-data';
import { creditMemoPdf } from './credit-memo.document';
import { farmClaimPdf, type FarmClaimData } from './farm-claim.document';
import { pickTicketPdf } from './pick-ticket.document';
import { availabilityPdf, type AvailabilityDocumentData } from './availability.document';
import { shippingLabelsPdf, shippingLabelsZpl } from './shipping-label.document';
import { statementPdf, type StatementDocumentData } from './statement.document';

export type DocumentFormat = 'pdf' | 'zpl';

export type RenderJob =
  | { document: 'box-labels'; format: DocumentFormat; boxes: BoxLabelData[] }
  | { document: 'shipping-labels'; format: DocumentFormat; seller: Seller; labels: ShippingLabelData[] }
  | { document: 'pick-ticket'; seller: Seller; ticket: PickTicketData }
  | { document: 'credit-memo'; seller: Seller; memo: CreditMemoData }
  | { document: 'farm-claim'; seller: Seller; claim: FarmClaimData }
  | { document: 'availability'; seller: Seller; data: AvailabilityDocumentData }
  | { document: 'statement'; seller: Seller; data: StatementDocumentData };

/** The document's bytes: a PDF, or ZPL text in UTF-8. */
export async function renderJob(job: RenderJob): Promise<Buffer> {
  switch (job.document) {
    case 'box-labels':
      return job.format === 'zpl' ? Buffer.from(boxLabelsZpl(job.boxes), 'utf8') : boxLabelsPdf(job.boxes);
    case 'shipping-labels':
      return job.format === 'zpl' ? Buffer.from(shippingLabelsZpl(job.seller, job.labels), 'utf8') : shippingLabelsPdf(job.seller, job.labels);
    case 'pick-ticket':
      return pickTicketPdf(job.seller, job.ticket);
    case 'credit-memo':
      return creditMemoPdf(job.seller, job.memo);
    case 'farm-claim':
      return farmClaimPdf(job.seller, job.claim);
    case 'availability':
      return availabilityPdf(job.seller, job.data);
    case 'statement':
      return statementPdf(job.seller, job.data);
  }
}
