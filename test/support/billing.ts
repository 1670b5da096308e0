import type { TestServer } from './test-server';

export const DEFAULT_SETTINGS = {
  autoBilling: 'ON_MANUAL_CONFIRMATION',
  releaseFulfilled: 'OPEN_MARKET',
  separateInTransitAndOnHand: false,
  consolidateOpenMarket: true,
  separateHoliday: true,
  separateByPortOfOrigin: false,
  separateByPickTicket: true,
  delayDaysAllowed: 0,
  allowMultiplePrebookLinesPerPoLine: false,
  billUnitsAsBoxes: [
    { location: 'MIA', enabled: false },
    { location: 'NYC', enabled: false },
  ],
};

export async function setSettings(t: TestServer, settings: Record<string, unknown>): Promise<void> {
  const data = await t.ok(`mutation($input: SettingsInput!) { updateSettings(input: $input) { errors { code message } } }`, { input: settings });
  if (data.updateSettings.errors.length) throw new Error(JSON.stringify(data.updateSettings.errors));
}

export function isoDate(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

export interface StagedPrebook {
  number: string;
  lineIds: string[];
  labels: string[];
}

type PrebookSpec = { customer: string; truckDate: string; lines: object[]; carrier?: string; customerPo?: string; holiday?: boolean; shipTo?: string };

/** A prebook bought (one PO per call) and shipped: its boxes wait in staging. */
export async function prebookInStaging(
  t: TestServer,
  prebook: PrebookSpec,
  shipping: { location?: string; port?: string; vendor?: string } = {},
): Promise<StagedPrebook> {
  const [staged] = await prebooksInStaging(t, [prebook], shipping);
  return staged;
}

/**
 * Prebooks bought together (their lines go through one createPurchaseOrdersFromPrebooks, so lines of one
 * customer and carrier may share boxes) and shipped: every box waits in staging. Each prebook lists
 * all the labels of the call.
 */
export async function prebooksInStaging(
  t: TestServer,
  prebooks: PrebookSpec[],
  shipping: { location?: string; port?: string; vendor?: string } = {},
): Promise<StagedPrebook[]> {
  const saved = await t.ok(`mutation($input: [PrebookInput!]!) { savePrebooks(input: $input) { prebooks { number lines { id } } errors { code message } } }`, {
    input: prebooks.map((prebook) => ({ carrier: 'ARMELLINI', ...prebook })),
  });
  if (saved.savePrebooks.errors.length) throw new Error(JSON.stringify(saved.savePrebooks.errors));
  const made = saved.savePrebooks.prebooks.map((p: any) => ({ number: p.number as string, lineIds: p.lines.map((l: any) => l.id as string) }));
  const lineIds = made.flatMap((p: { lineIds: string[] }) => p.lineIds);
  const po = await t.ok(
    `mutation($input: CreatePurchaseOrdersFromPrebooksInput!) { createPurchaseOrdersFromPrebooks(input: $input) { purchaseOrders { number lines { id boxes } } errors { message } } }`,
    {
      input: {
        vendor: shipping.vendor ?? 'ROSAS',
        location: shipping.location ?? 'MIA',
        prebookLines: lineIds.map((id: string) => ({ id, unitCost: '0.40' })),
      },
    },
  );
  if (po.createPurchaseOrdersFromPrebooks.errors.length) throw new Error(JSON.stringify(po.createPurchaseOrdersFromPrebooks.errors));
  const labels: string[] = [];
  for (const order of po.createPurchaseOrdersFromPrebooks.purchaseOrders) {
    const shipped = await t.ok(`mutation($input: ShipPurchaseOrderInput!) { shipPurchaseOrder(input: $input) { boxes { label } errors { message } } }`, {
      input: { purchaseOrder: order.number, portOfOrigin: shipping.port ?? null, lines: order.lines.map((l: any) => ({ poLine: l.id, boxes: l.boxes })) },
    });
    if (shipped.shipPurchaseOrder.errors.length) throw new Error(JSON.stringify(shipped.shipPurchaseOrder.errors));
    labels.push(...shipped.shipPurchaseOrder.boxes.map((b: any) => b.label));
  }
  return made.map((p: { number: string; lineIds: string[] }) => ({ ...p, labels }));
}

export const CONFIRM = `mutation($labels: [String!], $dryRun: Boolean) {
  confirmStaging(input: { labels: $labels, dryRun: $dryRun }) {
    results { label outcome code message billing { mode ran invoiceNumbers issue { code message } releasedUnits } box { status inventoryType customer { code } unitsRemaining } }
    errors { code message }
  }
}`;

export async function confirm(t: TestServer, labels: string[], dryRun = false) {
  const data = await t.ok(CONFIRM, { labels, dryRun });
  return data.confirmStaging.results as Array<{
    label: string;
    outcome: string;
    billing: { mode: string; ran: boolean; invoiceNumbers: string[]; issue: { code: string; message: string } | null; releasedUnits: number };
    box: { status: string; inventoryType: string | null; customer: { code: string } | null; unitsRemaining: number } | null;
  }>;
}

export async function invoice(t: TestServer, number: string) {
  const data = await t.ok(
    `query($n: String!) { invoice(number: $n) {
    number status source customer { code } truckDate customerPo holiday portOfOrigin total cost gpmPercent pricePending
    lines { lineNo product { code } boxes units unitPrice unitCost amount prebookLine { prebookNumber } inventoryType labels } } }`,
    { n: number },
  );
  return data.invoice;
}
