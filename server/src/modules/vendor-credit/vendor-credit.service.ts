// Farm claims (vendor credits): saving, moving through their statuses, listing.
import type { EntityManager } from '@mikro-orm/postgresql';
import { toScaled } from '../../common/decimal';
import { nextDocumentNumbers } from '../../common/document-number.repository';
import { databaseId } from '../../common/list-filters';
import { paginate, type PageArgs } from '../../common/pagination';
import { checkReference, filterDocumentId, filterReferenceId, loadReferences } from '../../common/references';
import { actorLabel, type RequestContext } from '../../common/request-context';
import { RowValidator } from '../../common/row-validator';
import { inTransaction } from '../../common/transaction';
import { userError, type UserError } from '../../common/user-error';
import type { SaveVendorCreditInput, VendorCreditFilter, VendorCreditLineInput } from '../../generated/graphql';
import { recordAudit } from '../audit/audit.service';
import { BoxSchema } from '../box/box.entity';
import { CreditSchema, type CreditReason } from '../credit/credit.entity';
import { claimIdempotencyKey, storeIdempotentResponse } from '../idempotency/idempotency.service';
import { InvoiceLineSchema } from '../invoice/invoice.entity';
import { PurchaseOrderLineSchema } from '../purchase-order/purchase-order.entity';
import { getSettings } from '../settings/settings.service';
import { VendorSchema, type Vendor } from '../vendor/vendor.entity';
import { VENDOR_CREDIT_SOURCES, VendorCreditLineSchema, VendorCreditSchema, type VendorCredit, type VendorCreditStatus } from './vendor-credit.entity';
import { lockVendorCreditByNumber, selectBoxCosts, selectClaimedUnits } from './vendor-credit.repository';
import { claimAmounts, sumAmounts } from './vendor-credit-split';
import { boxClaim, vendorCreditReason } from './vendor-credit-suggest.service';

/** At most this many lines on one claim. */
export const MAX_VENDOR_CREDIT_LINES = 1000;

export const POPULATE_VENDOR_CREDIT = [
  'vendor',
  'reason',
  'sourceCredit',
  'lines',
  'lines.box',
  'lines.purchaseOrderLine',
  'lines.purchaseOrderLine.purchaseOrder',
  'lines.invoiceLine',
  // What the claim sheet reads of each line's box (Box.purchaseOrderNumber, awb, product) and PO line.
  'lines.box.product',
  'lines.box.shipment',
  'lines.box.purchaseOrderLine.purchaseOrder',
  'lines.purchaseOrderLine.product',
] as const;

/** Which status a claim may move to from each. */
const NEXT: Record<VendorCreditStatus, readonly VendorCreditStatus[]> = {
  PENDING: ['SENT', 'ACCEPTED', 'REJECTED'],
  SENT: ['ACCEPTED', 'REJECTED'],
  ACCEPTED: [],
  REJECTED: [],
};

export interface VendorCreditPayload {
  vendorCredit: VendorCredit | null;
  errors: UserError[];
}

export function loadVendorCredit(em: EntityManager, id: number): Promise<VendorCredit | null> {
  return em.findOne(VendorCreditSchema, id, { populate: POPULATE_VENDOR_CREDIT, refresh: true });
}

/** Runs a claim mutation once per idempotency key, in one transaction. */
function idempotentChange(
  ctx: RequestContext,
  operation: string,
  key: string | null | undefined,
  input: unknown,
  work: (em: EntityManager) => Promise<VendorCreditPayload>,
): Promise<VendorCreditPayload> {
  return inTransaction(ctx, async (em) => {
    const claim = await claimIdempotencyKey<{ id: number | null; errors: UserError[] }>(ctx, em, operation, key, input);
    if ('conflict' in claim) return { vendorCredit: null, errors: [claim.conflict] };
    if (claim.replayed) return { vendorCredit: claim.response.id ? await loadVendorCredit(em, claim.response.id) : null, errors: claim.response.errors };
    const payload = await work(em);
    if (claim.claimed) await storeIdempotentResponse(em, ctx, key!, { id: payload.vendorCredit?.id ?? null, errors: payload.errors });
    return payload;
  });
}

interface CheckedLine {
  boxId: number | null;
  poLineId: number | null;
  invoiceLineId: number | null;
  units: number;
  amounts: ReturnType<typeof claimAmounts>;
}

/** Checks a claim's lines: each on a box of the vendor (or one of its purchase order lines), units within what is left to claim, amounts all four or none. */
async function checkLines(
  em: EntityManager,
  v: RowValidator,
  inputs: readonly VendorCreditLineInput[],
  exceptId: number | null,
): Promise<{ lines: CheckedLine[]; vendorIds: Set<number> }> {
  const vendorIds = new Set<number>();
  if (inputs.length === 0) v.fail('REQUIRED', 'lines', 'a farm claim needs at least one line');
  if (inputs.length > MAX_VENDOR_CREDIT_LINES) {
    v.fail('TOO_MANY_ITEMS', 'lines', `a farm claim takes at most ${MAX_VENDOR_CREDIT_LINES} lines`);
    return { lines: [], vendorIds };
  }
  const settings = await getSettings(em);
  const labels = inputs.flatMap((line) => (line.box?.trim() ? [line.box.trim()] : []));
  const boxes = await selectBoxCosts(em, { labels });
  const byLabel = new Map(boxes.map((row) => [row.label, row]));
  const claimed = await selectClaimedUnits(
    em,
    boxes.map((row) => Number(row.box_id)),
    exceptId,
  );
  const poNumbers = [...new Set(inputs.flatMap((line) => (line.purchaseOrder?.trim() ? [line.purchaseOrder.trim().toUpperCase()] : [])))];
  const poLines = poNumbers.length
    ? await em.find(PurchaseOrderLineSchema, { purchaseOrder: { number: { $in: poNumbers } } }, { populate: ['purchaseOrder'] })
    : [];
  const lines: CheckedLine[] = [];
  inputs.forEach((input, index) => {
    const lv = v.nested(`lines.${index + 1}`, `line ${index + 1}`);
    const units = lv.integer('units', input.units, { required: true, min: 1, max: 100_000_000 });
    const typed = [input.productAmount, input.freightAmount, input.dutyAmount, input.handlingAmount];
    const given = typed.filter((amount) => amount != null).length;
    if (given !== 0 && given !== 4)
      lv.fail('REQUIRED', 'productAmount', 'give all four amounts (product, freight, duty, handling) or none to take the split of the landed cost');
    const amounts = (['productAmount', 'freightAmount', 'dutyAmount', 'handlingAmount'] as const).map((field) =>
      lv.decimal(field, input[field], { required: false, nullable: true, min: 0, max: 1e9, maxScale: 2 }),
    );
    let invoiceLineId: number | null = null;
    if (input.invoiceLine != null) {
      invoiceLineId = databaseId(input.invoiceLine);
      if (invoiceLineId === null) lv.fail('NOT_FOUND', 'invoiceLine', `no invoice line ${input.invoiceLine}`);
    }
    const label = input.box?.trim();
    let boxId: number | null = null;
    let poLineId: number;
    let computed: ReturnType<typeof claimAmounts> | null = null;
    if (label) {
      const row = byLabel.get(label);
      if (!row) {
        lv.fail('UNKNOWN_BOX', 'box', `no box ${label}`);
        return;
      }
      boxId = Number(row.box_id);
      poLineId = Number(row.po_line_id);
      vendorIds.add(Number(row.vendor_id));
      const left = Number(row.units) - (claimed.get(boxId) ?? 0);
      if (units && units > left) {
        lv.fail('EXCEEDS_UNITS', 'units', `${label} has ${Math.max(0, left)} of its ${row.units} units left to claim; ${units} asked`);
        return;
      }
      claimed.set(boxId, (claimed.get(boxId) ?? 0) + (units ?? 0));
      if (units) computed = boxClaim(row, settings, units);
    } else if (input.purchaseOrder?.trim() && input.poLine != null) {
      const number = input.purchaseOrder.trim().toUpperCase();
      const line = poLines.find((l) => l.purchaseOrder.number === number && l.lineNo === input.poLine);
      if (!line) {
        lv.fail('NOT_FOUND', 'poLine', `${number} has no line ${input.poLine}`);
        return;
      }
      poLineId = line.id;
      vendorIds.add(line.purchaseOrder.vendor.id);
      if (units && units > line.boxes * line.unitsPerBox) {
        lv.fail('EXCEEDS_UNITS', 'units', `${number} line ${line.lineNo} ordered ${line.boxes * line.unitsPerBox} units; ${units} asked`);
        return;
      }
      // Without a box, only the vendor's unit cost is known: the product amount.
      if (units) computed = claimAmounts({ product: toScaled(line.unitCost), duty: 0n, freight: 0n, handling: 0n }, units);
    } else {
      lv.fail('REQUIRED', 'box', 'a line names a box (its label), or a purchase order and its poLine');
      return;
    }
    if (!lv.ok || !units || !computed) return;
    const [productAmount, freightAmount, dutyAmount, handlingAmount] = amounts as string[];
    const chosen =
      given === 4
        ? { productAmount, freightAmount, dutyAmount, handlingAmount, amount: sumAmounts([productAmount, freightAmount, dutyAmount, handlingAmount]) }
        : computed;
    lines.push({ boxId, poLineId, invoiceLineId, units, amounts: chosen });
  });
  const invoiceLineIds = lines.flatMap((line) => (line.invoiceLineId ? [line.invoiceLineId] : []));
  if (invoiceLineIds.length) {
    const found = new Set((await em.find(InvoiceLineSchema, { id: { $in: invoiceLineIds } }, { fields: ['id'] })).map((line) => line.id));
    inputs.forEach((input, index) => {
      const id = input.invoiceLine != null ? databaseId(input.invoiceLine) : null;
      if (id !== null && !found.has(id)) v.fail('NOT_FOUND', `lines.${index + 1}.invoiceLine`, `line ${index + 1}: no invoice line ${input.invoiceLine}`);
    });
  }
  return { lines, vendorIds };
}

/** saveVendorCredit: a new PENDING claim (numbered VC-...), or changes to a PENDING one. */
export function saveVendorCredit(
  ctx: RequestContext,
  input: SaveVendorCreditInput,
  version?: number | null,
  idempotencyKey?: string | null,
): Promise<VendorCreditPayload> {
  return idempotentChange(ctx, 'saveVendorCredit', idempotencyKey, { input, version }, async (em) => {
    const v = new RowValidator(null);
    let existing: VendorCredit | null = null;
    if (input.number?.trim()) {
      const id = await lockVendorCreditByNumber(em, input.number.trim().toUpperCase());
      existing = id === null ? null : await loadVendorCredit(em, id);
      if (!existing) return { vendorCredit: null, errors: [userError('NOT_FOUND', `no farm claim ${input.number.trim()}`, undefined, 'number')] };
      if (existing.status !== 'PENDING')
        return {
          vendorCredit: existing,
          errors: [userError('INVALID_STATUS', `${existing.number} is ${existing.status}: only a PENDING claim changes`, undefined, 'number')],
        };
      if (version != null && version !== existing.version)
        v.fail('STALE_VERSION', 'version', `${existing.number} was changed by someone else (version ${existing.version}, yours ${version})`);
    }
    const settings = await getSettings(em);
    let reason: CreditReason | null | undefined = existing ? existing.reason : null;
    if (input.reason?.trim()) {
      const found = await vendorCreditReason(em, input.reason);
      if (typeof found === 'string') v.fail('UNKNOWN_CREDIT_REASON', 'reason', found);
      else reason = found;
    } else if (!existing && settings.creditReasonRequired) {
      v.fail('REQUIRED', 'reason', 'a farm claim needs a reason (see creditReasons): Settings.creditReasonRequired is on');
    }
    const notes = v.optionalText('notes', input.notes, { max: 1000 });
    const source = v.oneOf('source', input.source, VENDOR_CREDIT_SOURCES, { required: false });
    let sourceCredit = existing?.sourceCredit ?? null;
    if (input.credit?.trim()) {
      const number = input.credit.trim().toUpperCase();
      sourceCredit = await em.findOne(CreditSchema, { number });
      if (!sourceCredit) v.fail('NOT_FOUND', 'credit', `no credit ${number}`);
      else if (sourceCredit.status !== 'APPROVED')
        v.fail('INVALID_STATUS', 'credit', `${number} is ${sourceCredit.status}: only an APPROVED credit is passed on to a farm`);
    }
    if (!existing && !input.lines) v.fail('REQUIRED', 'lines', 'a farm claim needs at least one line');
    const checked = input.lines ? await checkLines(em, v, input.lines, existing?.id ?? null) : null;
    let vendor: Vendor | undefined = existing?.vendor;
    if (input.vendor?.trim()) {
      const vendors = await loadReferences(em, VendorSchema, [input.vendor]);
      vendor = checkReference(v, 'vendor', input.vendor, vendors, { label: 'vendor', unknown: 'UNKNOWN_VENDOR', required: true });
    } else if (!vendor && checked?.vendorIds.size === 1) {
      vendor = (await em.findOne(VendorSchema, [...checked.vendorIds][0])) ?? undefined;
    } else if (!vendor) {
      v.fail('REQUIRED', 'vendor', 'name the vendor: the lines are not all of one vendor');
    }
    if (vendor && checked) {
      const others = [...checked.vendorIds].filter((id) => id !== vendor!.id);
      if (others.length) v.fail('INVALID_VALUE', 'lines', `every line must be on a box or purchase order of ${vendor.code}: one claim goes to one farm`);
    }
    if (!v.ok || !vendor || reason === undefined) return { vendorCredit: existing, errors: v.errors };
    let claim = existing;
    if (!claim) {
      const [number] = await nextDocumentNumbers(em, 'VC', 1);
      claim = em.create(VendorCreditSchema, {
        number,
        vendor,
        status: 'PENDING',
        source: source ?? (sourceCredit ? 'CREDIT' : 'MANUAL'),
        sourceCredit,
        reason,
        notes: notes ?? '',
        createdBy: actorLabel(ctx.actor),
      });
    } else {
      Object.assign(claim, { vendor, reason, sourceCredit, updatedAt: new Date() });
      if (source) claim.source = source;
      if (notes !== undefined) claim.notes = notes ?? '';
    }
    if (checked) {
      claim.lines.removeAll();
      checked.lines.forEach((line, index) =>
        claim!.lines.add(
          em.create(VendorCreditLineSchema, {
            vendorCredit: claim!,
            lineNo: index + 1,
            box: line.boxId === null ? null : em.getReference(BoxSchema, line.boxId),
            purchaseOrderLine: line.poLineId === null ? null : em.getReference(PurchaseOrderLineSchema, line.poLineId),
            invoiceLine: line.invoiceLineId === null ? null : em.getReference(InvoiceLineSchema, line.invoiceLineId),
            units: line.units,
            ...line.amounts,
          }),
        ),
      );
    }
    await em.flush();
    recordAudit(em, ctx.actor, existing ? 'update' : 'create', 'VendorCredit', claim.id, { input, version });
    await em.flush();
    return { vendorCredit: await loadVendorCredit(em, claim.id), errors: [] };
  });
}

/** setVendorCreditStatus: PENDING to SENT, ACCEPTED or REJECTED; SENT to ACCEPTED or REJECTED. */
export function setVendorCreditStatus(
  ctx: RequestContext,
  number: string,
  status: VendorCreditStatus,
  note?: string | null,
  idempotencyKey?: string | null,
): Promise<VendorCreditPayload> {
  return idempotentChange(ctx, 'setVendorCreditStatus', idempotencyKey, { number, status, note }, async (em) => {
    const id = await lockVendorCreditByNumber(em, number.trim().toUpperCase());
    const claim = id === null ? null : await loadVendorCredit(em, id);
    if (!claim) return { vendorCredit: null, errors: [userError('NOT_FOUND', `no farm claim ${number}`, undefined, 'number')] };
    const current = claim.status as VendorCreditStatus;
    if (!NEXT[current].includes(status)) {
      const allowed = NEXT[current];
      return {
        vendorCredit: claim,
        errors: [
          userError(
            'INVALID_STATUS',
            `${claim.number} is ${claim.status}: ${allowed.length ? `it can become ${allowed.join(', ')}, not ${status}` : 'its status is final'}`,
            undefined,
            'status',
          ),
        ],
      };
    }
    const v = new RowValidator(null);
    const why = v.optionalText('note', note, { max: 1000 });
    if (!v.ok) return { vendorCredit: claim, errors: v.errors };
    const from = claim.status;
    Object.assign(claim, { status, statusBy: actorLabel(ctx.actor), statusAt: new Date(), statusNote: why ?? null, updatedAt: new Date() });
    recordAudit(em, ctx.actor, status.toLowerCase(), 'VendorCredit', claim.id, { from, to: status, note: why ?? null });
    await em.flush();
    return { vendorCredit: await loadVendorCredit(em, claim.id), errors: [] };
  });
}

/** vendorCredits(filter): newest first. */
export async function listVendorCredits(ctx: RequestContext, filter: VendorCreditFilter | null | undefined, page: PageArgs) {
  const where: Record<string, unknown> = {};
  if (filter?.number) where.id = await filterDocumentId(ctx.em, VendorCreditSchema, filter.number, 'filter.number');
  if (filter?.vendor) where.vendor = await filterReferenceId(ctx.em, VendorSchema, filter.vendor, 'filter.vendor');
  if (filter?.status) where.status = filter.status;
  if (filter?.credit) where.sourceCredit = await filterDocumentId(ctx.em, CreditSchema, filter.credit, 'filter.credit');
  return paginate(ctx.em, VendorCreditSchema, where, page, { key: 'id', direction: 'desc', populate: [...POPULATE_VENDOR_CREDIT] });
}

/** vendorCredit(number): null when there is none. */
export function findVendorCredit(ctx: RequestContext, number: string): Promise<VendorCredit | null> {
  return ctx.em.findOne(VendorCreditSchema, { number: number.trim().toUpperCase() }, { populate: POPULATE_VENDOR_CREDIT });
}
