// Landed cost trued up to an air waybill's real freight, handling and duty (docs/warehouse.md#landed-cost-the-real-air-waybill).
import { actorLabel, type RequestContext } from '../../common/request-context';
import { RowValidator } from '../../common/row-validator';
import { inTransaction } from '../../common/transaction';
import { userError, type UserError } from '../../common/user-error';
import type { ShipmentCostsInput } from '../../generated/graphql';
import { recordAudit } from '../audit/audit.service';
import { costDifference, costValue, trueUpLandedCosts } from './landed-cost';
import { sumDecimals } from './shrink';
import { sameDecimal } from '../../common/decimal';
import { AwbCostSchema, type AwbCost } from './stock.entity';
import { lockInvoicesOfBoxes, selectAwbBoxes, updateInvoiceLineCosts, updateLandedCosts, upsertAwbCost, type AwbBoxRow } from './shipment-costs.repository';
import type { BoxStatus } from '../box/box.entity';
import type { EntityManager } from '@mikro-orm/postgresql';

export interface ShipmentCostBoxView {
  label: string;
  product: number;
  boxType: string;
  status: BoxStatus;
  units: number;
  estimatedUnitCost: string;
  actualUnitCost: string | null;
  differencePerUnit: string | null;
  difference: string | null;
}

export interface ShipmentCostsView {
  awb: string;
  recorded: AwbCost | null;
  boxes: ShipmentCostBoxView[];
  estimatedValue: string;
  actualValue: string | null;
  difference: string | null;
}

export interface RecordShipmentCostsResult {
  shipmentCosts: ShipmentCostsView | null;
  boxesChanged: number;
  invoiceLinesChanged: number;
  errors: UserError[];
}

const sum = (values: string[]) => sumDecimals(values);

/** Estimated and actual landed cost of each box of the air waybill, and their totals. */
function view(awb: string, boxes: AwbBoxRow[], recorded: AwbCost | null): ShipmentCostsView {
  const lines = boxes.map((box): ShipmentCostBoxView => {
    const estimated = box.estimated_landed_unit_cost ?? box.landed_unit_cost;
    const actual = recorded ? box.landed_unit_cost : null;
    const perUnit = costDifference(estimated, actual);
    return {
      label: box.label,
      product: Number(box.product_id),
      boxType: box.box_type_code,
      status: box.status,
      units: Number(box.units),
      estimatedUnitCost: costValue(estimated, 1),
      actualUnitCost: actual === null ? null : costValue(actual, 1),
      differencePerUnit: perUnit,
      difference: perUnit === null ? null : costValue(perUnit, Number(box.units)),
    };
  });
  const estimatedValue = sum(lines.map((line) => costValue(line.estimatedUnitCost, line.units)));
  const actualValue = recorded ? sum(lines.map((line) => costValue(line.actualUnitCost!, line.units))) : null;
  return { awb, recorded, boxes: lines, estimatedValue, actualValue, difference: costDifference(estimatedValue, actualValue) };
}

async function recordedCosts(em: EntityManager, awb: string): Promise<AwbCost | null> {
  return em.findOne(AwbCostSchema, { awb }, { refresh: true });
}

/** The air waybill's boxes with their estimated and (once recorded) actual landed costs; null for an AWB no shipment has. */
export async function shipmentCosts(ctx: RequestContext, awbInput: string): Promise<ShipmentCostsView | null> {
  const awb = awbInput.trim();
  const boxes = await selectAwbBoxes(ctx.em, awb, false);
  if (boxes.length === 0) return null;
  return view(awb, boxes, await recordedCosts(ctx.em, awb));
}

/**
 * Records an air waybill's real freight, handling and duty: every box of its shipments (staged, on hand,
 * invoiced or void) gets its landed unit cost again from them, and the invoice lines that took those boxes
 * their unit cost (never their price). Boxes are locked first, then the invoices (the documented lock order);
 * one statement per table whatever the number of boxes. The same amounts again change nothing.
 */
export async function recordShipmentCosts(ctx: RequestContext, awbInput: string, input: ShipmentCostsInput): Promise<RecordShipmentCostsResult> {
  const refused = (errors: UserError[]) => ({ shipmentCosts: null, boxesChanged: 0, invoiceLinesChanged: 0, errors });
  const awb = awbInput.trim();
  const v = new RowValidator(null);
  const amount = (field: 'freight' | 'handling' | 'duty') =>
    v.decimal(field, input[field], { required: false, min: 0, max: 100_000_000, maxScale: 4 }) ?? (input[field] == null ? '0' : undefined);
  const amounts = { freight: amount('freight'), handling: amount('handling'), duty: amount('duty') };
  if (!awb) v.fail('REQUIRED', 'awb', 'give the air waybill number');
  if (!v.ok || amounts.freight === undefined || amounts.handling === undefined || amounts.duty === undefined) return refused(v.errors);
  const real = { freight: amounts.freight, handling: amounts.handling, duty: amounts.duty };
  return inTransaction(ctx, async (em) => {
    const boxes = await selectAwbBoxes(em, awb, true);
    if (boxes.length === 0) return refused([userError('NOT_FOUND', `no shipment has air waybill ${awb}`, undefined, 'awb')]);
    const costs = trueUpLandedCosts(
      boxes.map((box) => ({ id: Number(box.id), units: Number(box.units), unitCost: box.unit_cost, fbe: box.fbe })),
      real,
    );
    if (!costs)
      return refused([userError('INVALID_VALUE', `the boxes of ${awb} have no FBE or no product cost to split the amounts over`, undefined, 'input')]);
    const ids = [...costs.keys()];
    await lockInvoicesOfBoxes(em, ids);
    const boxesChanged = await updateLandedCosts(em, costs);
    const invoiceLinesChanged = boxesChanged ? await updateInvoiceLineCosts(em, ids) : 0;
    await upsertAwbCost(em, { awb, ...real, recordedBy: actorLabel(ctx.actor) });
    recordAudit(em, ctx.actor, 'record-shipment-costs', 'Shipment', awb, { ...real, boxesChanged, invoiceLinesChanged });
    await em.flush();
    const after = boxes.map((box) => {
      const cost = costs.get(Number(box.id))!;
      const changed = !sameDecimal(box.landed_unit_cost, cost);
      return changed ? { ...box, estimated_landed_unit_cost: box.estimated_landed_unit_cost ?? box.landed_unit_cost, landed_unit_cost: cost } : box;
    });
    return { shipmentCosts: view(awb, after, await recordedCosts(em, awb)), boxesChanged, invoiceLinesChanged, errors: [] };
  });
}
