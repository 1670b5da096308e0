// Suggesting farm claims: from an APPROVED customer credit (the boxes its invoice lines took) or from a
// quality inspection of received boxes, the units and the split of the boxes' landed cost, one draft per vendor.
import type { EntityManager } from '@mikro-orm/postgresql';
import { divRound, fromScaled, toScaled } from '../../common/decimal';
import type { RequestContext } from '../../common/request-context';
import { normalizeCode, RowValidator } from '../../common/row-validator';
import type { UserError } from '../../common/user-error';
import type { SuggestVendorCreditInput } from '../../generated/graphql';
import { CreditReasonSchema, CreditSchema, type Credit, type CreditReason } from '../credit/credit.entity';
import type { Settings } from '../settings/settings.entity';
import { getSettings } from '../settings/settings.service';
import { VendorSchema, type Vendor } from '../vendor/vendor.entity';
import type { VendorCreditSource } from './vendor-credit.entity';
import { selectBoxCosts, selectCreditLineBoxes, type BoxCostRow } from './vendor-credit.repository';
import { claimAmounts, splitUnitCost, sumAmounts, type ClaimAmounts } from './vendor-credit-split';

/** At most this many boxes in one inspection. */
export const MAX_INSPECTED_BOXES = 1000;

export interface DraftLine extends ClaimAmounts {
  boxId: number;
  boxLabel: string;
  purchaseOrderNumber: string;
  poLine: number;
  poLineId: number;
  invoiceLine: string | null;
  units: number;
  landedUnitCost: string;
}

export interface VendorCreditDraft {
  vendor: Vendor;
  source: VendorCreditSource;
  sourceCredit: Credit | null;
  reason: CreditReason | null;
  lines: DraftLine[];
  total: string;
}

/** The box's share of its shipment's freight, scaled: the real freight by FBE, else Settings.freightPerFbe x its FBE. */
function boxFreight(row: BoxCostRow, settings: Settings): bigint {
  const fbe = toScaled(row.fbe);
  if (row.shipment_freight !== null) {
    const total = toScaled(row.shipment_fbe);
    return total > 0n ? divRound(toScaled(row.shipment_freight) * fbe, total) : 0n;
  }
  return divRound(toScaled(settings.freightPerFbe) * fbe, 10_000n);
}

/** The claim amounts of `units` of a box: its landed unit cost split into product, duty, freight and handling. */
export function boxClaim(row: BoxCostRow, settings: Settings, units: number): ClaimAmounts {
  const dutyPercent = settings.dutyPercentByPort.find((duty) => duty.port === row.port_of_origin)?.percent ?? '0';
  const split = splitUnitCost({
    landedUnitCost: row.landed_unit_cost,
    vendorUnitCost: row.vendor_unit_cost,
    dutyPercent,
    boxFreight: boxFreight(row, settings),
    boxUnits: Number(row.units),
  });
  return claimAmounts(split, units);
}

/** A reason farm claims may take: active, for VENDOR or BOTH; a message when it is not. */
export async function vendorCreditReason(em: EntityManager, value: string): Promise<CreditReason | string> {
  const reason = await em.findOne(CreditReasonSchema, { code: normalizeCode(value) });
  if (!reason) return `unknown credit reason "${value}" (see creditReasons)`;
  if (!reason.active) return `credit reason ${reason.code} is no longer in use`;
  if (reason.appliesTo === 'CUSTOMER') return `credit reason ${reason.code} is for customer credits, not farm claims`;
  return reason;
}

/** suggestVendorCredit: drafts, one per vendor, from exactly one of an APPROVED credit or inspected boxes. */
export async function suggestVendorCredit(
  ctx: RequestContext,
  input: SuggestVendorCreditInput,
): Promise<{ suggestions: VendorCreditDraft[]; errors: UserError[] }> {
  const em = ctx.em;
  const v = new RowValidator(null);
  const fromCredit = Boolean(input.credit?.trim());
  const fromBoxes = input.boxes != null;
  if (fromCredit === fromBoxes) {
    v.fail('REQUIRED', 'credit', 'say what to suggest from: exactly one of credit (an approved credit) or boxes (a quality inspection)');
    return { suggestions: [], errors: v.errors };
  }
  let reason: CreditReason | null = null;
  if (input.reason?.trim()) {
    const found = await vendorCreditReason(em, input.reason);
    if (typeof found === 'string') v.fail('UNKNOWN_CREDIT_REASON', 'reason', found);
    else reason = found;
  }
  const settings = await getSettings(em);
  const wanted: Array<{ boxId?: number; label?: string; units: number | null; invoiceLine: string | null; field: string }> = [];
  let credit: Credit | null = null;
  if (fromCredit) {
    const number = input.credit!.trim().toUpperCase();
    credit = await em.findOne(CreditSchema, { number }, { populate: ['reason'] });
    if (!credit) v.fail('NOT_FOUND', 'credit', `no credit ${number}`);
    else if (credit.status !== 'APPROVED')
      v.fail('INVALID_STATUS', 'credit', `${credit.number} is ${credit.status}: only an APPROVED credit is passed on to a farm`);
    else {
      if (!reason && credit.reason && credit.reason.appliesTo !== 'CUSTOMER') reason = credit.reason;
      // Each QUANTITY line's units, over the boxes its invoice line took (in box order).
      const rows = await selectCreditLineBoxes(em, credit.id);
      const left = new Map<number, number>();
      for (const row of rows) {
        const lineNo = Number(row.line_no);
        const remaining = left.get(lineNo) ?? Number(row.units);
        const units = Math.min(remaining, Number(row.taken));
        left.set(lineNo, remaining - units);
        if (units > 0) wanted.push({ boxId: Number(row.box_id), units, invoiceLine: String(row.invoice_line_id), field: `credit.lines.${lineNo}` });
      }
      if (!wanted.length) v.fail('INVALID_VALUE', 'credit', `${credit.number} credits no units of boxes (only QUANTITY lines are passed on to farms)`);
    }
  } else {
    const boxes = input.boxes!;
    if (boxes.length === 0) v.fail('REQUIRED', 'boxes', 'an inspection names at least one box');
    if (boxes.length > MAX_INSPECTED_BOXES) v.fail('TOO_MANY_ITEMS', 'boxes', `an inspection takes at most ${MAX_INSPECTED_BOXES} boxes`);
    boxes.slice(0, MAX_INSPECTED_BOXES).forEach((box, index) => {
      const bv = v.nested(`boxes.${index + 1}`, `box ${index + 1}`);
      const units = bv.integer('units', box.units, { required: false, nullable: true, min: 1, max: 1_000_000 }) ?? null;
      const label = bv.text('label', box.label, { required: true, max: 60 });
      if (label && bv.ok) wanted.push({ label, units, invoiceLine: null, field: `boxes.${index + 1}` });
    });
  }
  if (!v.ok) return { suggestions: [], errors: v.errors };
  const rows = await selectBoxCosts(em, { ids: wanted.flatMap((w) => (w.boxId ? [w.boxId] : [])), labels: wanted.flatMap((w) => (w.label ? [w.label] : [])) });
  const byId = new Map(rows.map((row) => [Number(row.box_id), row]));
  const byLabel = new Map(rows.map((row) => [row.label, row]));
  const drafts = new Map<number, DraftLine[]>();
  for (const item of wanted) {
    const row = item.boxId ? byId.get(item.boxId) : byLabel.get(item.label!);
    if (!row) {
      v.fail('UNKNOWN_BOX', `${item.field}.label`, `no box ${item.label}`);
      continue;
    }
    const units = item.units ?? Number(row.units);
    if (!fromCredit && !row.received && row.status === 'STAGED') {
      v.fail('INVALID_STATUS', `${item.field}.label`, `${row.label} is in transit (staged, not received): inspect it once it is on hand`);
      continue;
    }
    if (units > Number(row.units)) {
      v.fail('EXCEEDS_UNITS', `${item.field}.units`, `${row.label} holds ${row.units} units; ${units} asked`);
      continue;
    }
    const list = drafts.get(Number(row.vendor_id)) ?? [];
    list.push({
      boxId: Number(row.box_id),
      boxLabel: row.label,
      purchaseOrderNumber: row.po_number,
      poLine: Number(row.po_line_no),
      poLineId: Number(row.po_line_id),
      invoiceLine: item.invoiceLine,
      units,
      landedUnitCost: fromScaled(toScaled(row.landed_unit_cost), 2),
      ...boxClaim(row, settings, units),
    });
    drafts.set(Number(row.vendor_id), list);
  }
  if (!v.ok) return { suggestions: [], errors: v.errors };
  const vendors = await em.find(VendorSchema, { id: { $in: [...drafts.keys()] } }, { orderBy: { code: 'asc' } });
  const suggestions = vendors.map((vendor) => {
    const lines = drafts.get(vendor.id)!;
    return {
      vendor,
      source: (fromCredit ? 'CREDIT' : 'INSPECTION') as VendorCreditSource,
      sourceCredit: credit,
      reason,
      lines,
      total: sumAmounts(lines.map((line) => line.amount)),
    };
  });
  return { suggestions, errors: [] };
}
