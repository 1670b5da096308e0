import { canonicalDecimal } from '../../common/decimal';
import { nextDocumentNumbers } from '../../common/document-number.repository';
import { checkReference, loadReferences } from '../../common/references';
import type { RequestContext } from '../../common/request-context';
import { RowValidator } from '../../common/row-validator';
import { inTransaction } from '../../common/transaction';
import { MAX_UPSERT_ITEMS } from '../../common/upsert-by-code';
import { userError, type UserError } from '../../common/user-error';
import type { CreatePurchaseOrdersFromPrebooksInput } from '../../generated/graphql';
import { recordAudit } from '../audit/audit.service';
import { claimIdempotencyKey, storeIdempotentResponse } from '../idempotency/idempotency.service';
import { LocationSchema } from '../location/location.entity';
import { checkDate } from '../prebook/order-line.validation';
import type { PrebookLine } from '../prebook/prebook.entity';
import { getSettings } from '../settings/settings.service';
import { VendorSchema, type Vendor } from '../vendor/vendor.entity';
import { lockPrebookLines } from '../prebook/prebook.repository';
import { findPurchaseNeeds, type PurchaseNeed } from './purchase-need.service';
import { createPurchaseOrder, POPULATE_PURCHASE_ORDER, type PurchaseOrderLineValues } from './purchase-order.service';
import { PurchaseOrderSchema, type PurchaseOrder } from './purchase-order.entity';

export interface NeedToBuy {
  line: PrebookLine;
  quantity: number;
  unitCost: string;
}

/** Units to buy rounded up to whole boxes: how purchase needs and component needs become PO lines. */
export function wholeBoxes(units: number, unitsPerBox: number): number {
  return Math.ceil(units / unitsPerBox);
}

/**
 * Turns needs (of one vendor) into PO lines. Lines sold by the box get a PO
 * line each; lines sold in units are pooled by customer, truck date and
 * carrier and rounded up to whole boxes. With allowMultiplePrebookLinesPerPoLine
 * both pool across truck dates of the same customer and carrier.
 */
export function planPurchaseOrderLines(needs: NeedToBuy[], allowMultiplePrebookLinesPerPoLine: boolean): PurchaseOrderLineValues[] {
  const groups = new Map<string, { values: PurchaseOrderLineValues; total: number }>();
  for (const need of needs) {
    const { line } = need;
    const prebook = line.prebook;
    const shared = [prebook.customer.id, prebook.carrier.id, line.product.id, line.boxType.id, line.unitsPerBox, canonicalDecimal(need.unitCost), line.sellBy];
    const key =
      line.sellBy === 'BOX'
        ? JSON.stringify(allowMultiplePrebookLinesPerPoLine ? shared : [line.id])
        : JSON.stringify([...shared, allowMultiplePrebookLinesPerPoLine ? '' : prebook.truckDate]);
    let group = groups.get(key);
    if (!group) {
      group = {
        values: { product: line.product, boxType: line.boxType, boxes: 0, unitsPerBox: line.unitsPerBox, unitCost: need.unitCost, links: [] },
        total: 0,
      };
      groups.set(key, group);
    }
    group.total += need.quantity;
    group.values.links.push({ prebookLine: line, boxes: line.sellBy === 'BOX' ? need.quantity : null, units: line.sellBy === 'UNIT' ? need.quantity : null });
  }
  return [...groups.values()].map(({ values, total }) => ({
    ...values,
    boxes: values.links[0].prebookLine.sellBy === 'BOX' ? total : wholeBoxes(total, values.unitsPerBox),
  }));
}

interface StoredResponse {
  ids: number[];
  errors: UserError[];
}

export interface CreatePurchaseOrdersResult {
  purchaseOrders: PurchaseOrder[];
  errors: UserError[];
  replayed: boolean;
}

function describe(line: PrebookLine): string {
  return `${line.prebook.number} line ${line.lineNo} (${line.product.code})`;
}

export async function createPurchaseOrdersFromPrebooks(
  ctx: RequestContext,
  input: CreatePurchaseOrdersFromPrebooksInput,
  idempotencyKey?: string | null,
): Promise<CreatePurchaseOrdersResult> {
  if ((input.prebookLines?.length ?? 0) > MAX_UPSERT_ITEMS) {
    return { purchaseOrders: [], errors: [userError('TOO_MANY_ITEMS', `A call takes at most ${MAX_UPSERT_ITEMS} prebook lines; split it.`)], replayed: false };
  }
  return inTransaction(ctx, async (em) => {
    const claim = await claimIdempotencyKey<StoredResponse>(ctx, em, 'createPurchaseOrdersFromPrebooks', idempotencyKey, input);
    if ('conflict' in claim) return { purchaseOrders: [], errors: [claim.conflict], replayed: false };
    if (claim.replayed) {
      const found = await em.find(PurchaseOrderSchema, { id: { $in: claim.response.ids } }, { populate: POPULATE_PURCHASE_ORDER, orderBy: { id: 'asc' } });
      return { purchaseOrders: found, errors: claim.response.errors, replayed: true };
    }

    const v = new RowValidator(null);
    const locations = await loadReferences(em, LocationSchema, [input.location]);
    const vendors = await loadReferences(em, VendorSchema, [input.vendor]);
    const location = checkReference(v, 'location', input.location, locations, { label: 'location', unknown: 'UNKNOWN_LOCATION', required: true });
    const callVendor = input.vendor?.trim()
      ? checkReference(v, 'vendor', input.vendor, vendors, { label: 'vendor', unknown: 'UNKNOWN_VENDOR', required: true })
      : null;
    const shipDate = checkDate(v, 'shipDate', input.shipDate, false);
    const port = input.portOfOrigin?.trim() ? v.code('portOfOrigin', input.portOfOrigin) : null;
    if (!input.prebookLines && !input.filter) v.fail('REQUIRED', 'prebookLines', 'give prebookLines or a filter');
    if (input.prebookLines && input.filter) v.fail('INVALID_VALUE', 'filter', 'give prebookLines or a filter, not both');
    const explicit = input.prebookLines ?? [];
    const costErrors = explicit.flatMap((item, index) => {
      const row = new RowValidator(index + 1, `prebookLines.${index + 1}`);
      row.decimal('unitCost', item.unitCost, { required: false, min: 0, max: 1e9, maxScale: 4 });
      return row.errors;
    });
    if (!v.ok || costErrors.length || !location || callVendor === undefined || shipDate === undefined || port === undefined) {
      return { purchaseOrders: [], errors: [...v.errors, ...costErrors], replayed: false };
    }

    const explicitIds = explicit.map((item) => Number(item.id));
    const candidateIds = input.prebookLines
      ? explicitIds.filter((id) => Number.isSafeInteger(id))
      : (await findPurchaseNeeds(em, { filter: input.filter })).needs.map((n) => n.line.id);
    await lockPrebookLines(em, candidateIds);
    const { needs } = await findPurchaseNeeds(em, { lineIds: candidateIds, filter: input.prebookLines ? undefined : input.filter });
    const needById = new Map(needs.map((need) => [need.line.id, need]));

    const errors: UserError[] = [];
    const accepted = new Map<Vendor, NeedToBuy[]>();
    const accept = (need: PurchaseNeed, row: number | undefined, unitCostGiven: string | null | undefined) => {
      const field = (name: string) => (row === undefined ? name : `prebookLines.${row}.${name}`);
      const vendor = need.line.vendor ?? callVendor;
      const unitCost = unitCostGiven ?? need.line.vendorCost ?? null;
      if (!vendor) {
        errors.push(userError('REQUIRED', `${describe(need.line)} names no vendor: give one on the line or in the call`, row, field('vendor')));
      } else if (unitCost === null) {
        errors.push(userError('MISSING_COST', `${describe(need.line)} has no vendor cost: give unitCost or set the line's vendorCost`, row, field('unitCost')));
      } else if (!port && !vendor.defaultPortOfOrigin) {
        errors.push(userError('REQUIRED', `vendor ${vendor.code} has no default port of origin: give portOfOrigin`, row, field('portOfOrigin')));
      } else {
        const toBuy = accepted.get(vendor) ?? [];
        toBuy.push({ line: need.line, quantity: need.quantity, unitCost });
        accepted.set(vendor, toBuy);
      }
    };
    if (input.prebookLines) {
      const seen = new Set<number>();
      explicit.forEach((item, index) => {
        const id = explicitIds[index];
        const need = needById.get(id);
        if (seen.has(id))
          errors.push(userError('DUPLICATE_DOCUMENT', `Row ${index + 1}: prebook line ${item.id} is listed twice`, index + 1, `prebookLines.${index + 1}.id`));
        else if (!need)
          errors.push(
            userError(
              'NOTHING_TO_PURCHASE',
              `Row ${index + 1}: prebook line ${item.id} has nothing left to buy (unknown, already purchased, unable to source, or its prebook is not open)`,
              index + 1,
              `prebookLines.${index + 1}.id`,
            ),
          );
        else accept(need, index + 1, item.unitCost);
        seen.add(id);
      });
    } else {
      for (const need of needs) accept(need, undefined, undefined);
    }

    const settings = await getSettings(em);
    const numbers = await nextDocumentNumbers(em, 'PO', accepted.size);
    const purchaseOrders = [...accepted].map(([vendor, toBuy], i) =>
      createPurchaseOrder(em, numbers[i], {
        vendor,
        customer: null,
        location,
        shipDate: shipDate ?? toBuy.map((n) => n.line.prebook.truckDate).sort()[0],
        portOfOrigin: port ?? vendor.defaultPortOfOrigin!,
        lines: planPurchaseOrderLines(toBuy, settings.allowMultiplePrebookLinesPerPoLine),
      }),
    );
    await em.flush();
    for (const purchaseOrder of purchaseOrders) recordAudit(em, ctx.actor, 'create-from-prebooks', 'PurchaseOrder', purchaseOrder.id, input);
    await em.flush();
    if (claim.claimed) await storeIdempotentResponse(em, ctx, idempotencyKey!, { ids: purchaseOrders.map((po) => po.id), errors } satisfies StoredResponse);
    return { purchaseOrders, errors, replayed: false };
  });
}
