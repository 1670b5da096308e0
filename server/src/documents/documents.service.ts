import type { RequestContext } from '../common/request-context';
import type { StagingFilter } from '../generated/graphql';
import { BoxSchema } from '../modules/box/box.entity';
import { stagingWhere } from '../modules/receiving/staging-inventory.service';
import {
  boxIdsByLabel,
  boxIdsOfPurchaseOrder,
  boxIdsOfShipment,
  boxLabelRows,
  invoiceOfBoxes,
  invoicesByNumber,
  pickTicketData,
  readSeller,
  shippingLabelRows,
} from './documents.repository';
import type { DocumentFormat, RenderJob } from './render-jobs';
import { selectClaimSheet } from '../modules/vendor-credit/vendor-credit.repository';
import { claimSheetData } from './farm-claim.data';

export type { DocumentFormat } from './render-jobs';

/** Boxes (labels, pages) one request may print: a 2,000-page PDF is about 2 s of work and a few MB. */
export const MAX_BOXES_PER_DOCUMENT = 2_000;

/** An expected refusal, answered with its HTTP status and a message that says what to do. */
export class DocumentError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A document ready to render: what it is called and holds, and the job that renders it (in a worker). */
export interface DocumentPlan {
  contentType: string;
  filename: string;
  /** Labels (or boxes of a pick ticket) printed. */
  count: number;
  job: RenderJob;
}

export interface BoxLabelSelection {
  labels?: string[];
  purchaseOrder?: string;
  shipment?: string;
  /** Staged boxes matching the staging filter (as the `staging` query takes it). */
  staging?: StagingFilter;
}

function listed(values: string[], max = 10): string {
  return values.length > max ? `${values.slice(0, max).join(', ')} and ${values.length - max} more` : values.join(', ');
}

function tooMany(count: number, what: string, hint: string): DocumentError {
  return new DocumentError(
    400,
    'TOO_MANY_BOXES',
    `${what} has ${count.toLocaleString('en-US')} boxes; one request prints at most ${MAX_BOXES_PER_DOCUMENT.toLocaleString('en-US')} (MAX_BOXES_PER_DOCUMENT). ${hint}`,
  );
}

/** Labels as given, trimmed, without blanks or repeats (a label asked twice prints once). */
function cleanLabels(labels: string[]): string[] {
  return [...new Set(labels.map((label) => label.trim()).filter(Boolean))];
}

async function idsOfLabels(ctx: RequestContext, given: string[]): Promise<number[]> {
  const labels = cleanLabels(given);
  if (!labels.length) throw new DocumentError(400, 'REQUIRED', 'labels is empty: give at least one box label');
  if (labels.length > MAX_BOXES_PER_DOCUMENT) throw tooMany(labels.length, 'The list of labels', 'Split the list.');
  const ids = await boxIdsByLabel(ctx.em, labels);
  const unknown = labels.filter((label) => !ids.has(label));
  if (unknown.length)
    throw new DocumentError(404, 'UNKNOWN_LABEL', `No box has the label${unknown.length === 1 ? '' : 's'} ${listed(unknown)}; nothing was printed.`);
  return labels.map((label) => ids.get(label)!);
}

async function boxIdsOf(ctx: RequestContext, selection: BoxLabelSelection): Promise<number[]> {
  const given = (['labels', 'purchaseOrder', 'shipment', 'staging'] as const).filter((key) => selection[key] !== undefined);
  if (given.length !== 1) {
    throw new DocumentError(
      400,
      'BAD_SELECTION',
      `Say which boxes with exactly one of labels, purchaseOrder, shipment or staging${given.length ? ` (got ${given.join(' and ')})` : ''}.`,
    );
  }
  if (selection.labels) return idsOfLabels(ctx, selection.labels);
  if (selection.purchaseOrder !== undefined) {
    const number = selection.purchaseOrder.trim().toUpperCase();
    const ids = await boxIdsOfPurchaseOrder(ctx.em, number);
    if (!ids) throw new DocumentError(404, 'UNKNOWN_PURCHASE_ORDER', `No purchase order ${number}.`);
    if (!ids.length) throw new DocumentError(404, 'NO_BOXES', `${number} has no boxes yet: labels exist once the vendor ships (shipPurchaseOrder).`);
    if (ids.length > MAX_BOXES_PER_DOCUMENT) throw tooMany(ids.length, number, 'Print it by shipment, or by lists of labels.');
    return ids;
  }
  if (selection.shipment !== undefined) {
    const id = Number(selection.shipment);
    const ids = Number.isSafeInteger(id) && id > 0 && id < 2 ** 31 ? await boxIdsOfShipment(ctx.em, id) : null;
    if (!ids) throw new DocumentError(404, 'UNKNOWN_SHIPMENT', `No shipment ${selection.shipment}.`);
    if (ids.length > MAX_BOXES_PER_DOCUMENT) throw tooMany(ids.length, `Shipment ${id}`, 'Print it by lists of labels, or filter staging.');
    return ids;
  }
  const where = await stagingWhere(ctx, selection.staging);
  const boxes = await ctx.em.find(BoxSchema, where, { fields: ['id'], orderBy: { id: 'asc' }, limit: MAX_BOXES_PER_DOCUMENT + 1 });
  if (!boxes.length) throw new DocumentError(404, 'NO_BOXES', 'No staged box matches the filter.');
  if (boxes.length > MAX_BOXES_PER_DOCUMENT)
    throw tooMany(await ctx.em.count(BoxSchema, where), 'The staging filter', 'Narrow the filter (purchaseOrder, awb, vendor, ...).');
  return boxes.map((box) => box.id);
}

/** Box labels: one 4x6 in label per box, as PDF pages or ZPL labels. */
export async function boxLabelsDocument(ctx: RequestContext, selection: BoxLabelSelection, format: DocumentFormat): Promise<DocumentPlan> {
  const ids = await boxIdsOf(ctx, selection);
  const boxes = await boxLabelRows(ctx.em, ids);
  const name =
    selection.purchaseOrder?.trim().toUpperCase() ?? (selection.shipment ? `shipment-${selection.shipment}` : boxes.length === 1 ? boxes[0].label : 'staging');
  return plan(format, `box-labels-${name}`, boxes.length, { document: 'box-labels', format, boxes });
}

export interface ShippingLabelSelection {
  labels?: string[];
  invoice?: string;
}

/** Shipping labels of an invoice's boxes, or of the given boxes (each on the invoice it is on). */
export async function shippingLabelsDocument(ctx: RequestContext, selection: ShippingLabelSelection, format: DocumentFormat): Promise<DocumentPlan> {
  if ((selection.labels === undefined) === (selection.invoice === undefined)) {
    throw new DocumentError(400, 'BAD_SELECTION', 'Say which shipping labels with exactly one of labels or invoice.');
  }
  let rows;
  let name: string;
  if (selection.invoice !== undefined) {
    const number = selection.invoice.trim().toUpperCase();
    const invoice = (await invoicesByNumber(ctx.em, [number])).get(number);
    if (!invoice) throw new DocumentError(404, 'UNKNOWN_INVOICE', `No invoice ${number}.`);
    if (invoice.status === 'VOID') throw new DocumentError(409, 'INVOICE_VOID', `${number} is void: its boxes ship on no label of it.`);
    rows = await shippingLabelRows(ctx.em, [invoice.id]);
    if (!rows.length) throw new DocumentError(404, 'NO_BOXES', `${number} has no boxes.`);
    if (rows.length > MAX_BOXES_PER_DOCUMENT) throw tooMany(rows.length, number, 'Print it by lists of labels.');
    name = number;
  } else {
    const ids = await idsOfLabels(ctx, selection.labels!);
    const invoiceOf = await invoiceOfBoxes(ctx.em, ids);
    const labels = cleanLabels(selection.labels!);
    const notBilled = labels.filter((_, index) => !invoiceOf.has(ids[index]));
    if (notBilled.length) {
      throw new DocumentError(
        409,
        'NOT_INVOICED',
        `${listed(notBilled)} ${notBilled.length === 1 ? 'is' : 'are'} on no invoice (pending or confirmed): a shipping label names the invoice. Nothing was printed.`,
      );
    }
    const all = await shippingLabelRows(ctx.em, [...new Set(invoiceOf.values())]);
    const byBox = new Map(all.filter((row) => invoiceOf.get(row.boxId) === row.invoiceId).map((row) => [row.boxId, row]));
    rows = ids.map((id) => byBox.get(id)!);
    name = rows.length === 1 ? rows[0].label : rows[0].invoiceNumber;
  }
  const seller = await readSeller(ctx.em);
  return plan(format, `shipping-labels-${name}`, rows.length, { document: 'shipping-labels', format, seller, labels: rows });
}

/** The pick ticket of an invoice (PDF): printing it again changes nothing; printPickTicket marks it printed. */
export async function pickTicketDocument(ctx: RequestContext, invoiceNumber: string): Promise<DocumentPlan> {
  const number = invoiceNumber.trim().toUpperCase();
  if (!number) throw new DocumentError(400, 'REQUIRED', 'Give the invoice number: /documents/pick-tickets/INV-000001');
  const ticket = await pickTicketData(ctx.em, number);
  if (!ticket) throw new DocumentError(404, 'UNKNOWN_INVOICE', `No invoice ${number}.`);
  if (ticket.boxes.length > MAX_BOXES_PER_DOCUMENT) throw tooMany(ticket.boxes.length, number, 'It is too large for one pick ticket.');
  const seller = await readSeller(ctx.em);
  return plan('pdf', `pick-ticket-${number}`, ticket.boxes.length, { document: 'pick-ticket', seller, ticket });
}

/** The claim sheet of a farm claim (PDF), for the farm. */
export async function farmClaimDocument(ctx: RequestContext, claimNumber: string): Promise<DocumentPlan> {
  const number = claimNumber.trim().toUpperCase();
  if (!number) throw new DocumentError(400, 'REQUIRED', 'Give the claim number: /documents/farm-claims/VC-000001');
  const sheet = await selectClaimSheet(ctx.em, number);
  if (!sheet) throw new DocumentError(404, 'UNKNOWN_VENDOR_CREDIT', `No farm claim ${number}.`);
  const seller = await readSeller(ctx.em);
  return plan('pdf', `farm-claim-${number}`, sheet.lines.length, { document: 'farm-claim', seller, claim: claimSheetData(sheet, seller.timeZone) });
}

function plan(format: DocumentFormat, name: string, count: number, job: RenderJob): DocumentPlan {
  const filename = `${name.replace(/[^A-Za-z0-9._-]+/g, '_')}.${format}`;
  return { contentType: format === 'zpl' ? 'text/plain; charset=utf-8' : 'application/pdf', filename, count, job };
}
