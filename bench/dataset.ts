// A Valentine's-week data set, built through the public GraphQL API as a client would.
import { graphql } from './bench-client';

export const CUSTOMERS = 200;
export const PRODUCTS = 40;
export const FARMS = ['FARM-BOG-1', 'FARM-BOG-2', 'FARM-MDE-1', 'FARM-UIO-1'];
const PORTS = ['BOG', 'BOG', 'MDE', 'UIO'];
export const UNITS_PER_BOX = 100;

const pad = (n: number, width = 3) => String(n).padStart(width, '0');
export const customerCode = (i: number) => `CUST-${pad(i)}`;
export const productCode = (i: number) => `ROSE-${pad(i, 2)}`;
const vendorOf = (product: number) => FARMS[product % FARMS.length];

export function isoDate(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Master data shared by every size: customers, products, farms, carriers, a location. With `charges`, every
 * customer pays a fuel surcharge and four charge rules apply (per box with a daily cap, per invoice, a percent):
 * billing then recomputes charges as it writes.
 */
export async function seedMasters(url: string, token: string, options: { charges?: boolean } = {}): Promise<void> {
  const customers = Array.from({ length: CUSTOMERS }, (_, i) => ({
    code: customerCode(i),
    name: `Customer ${i}`,
    shipTos: i % 5 === 0 ? [{ code: 'DC-1', name: 'Main DC' }] : [],
    ...(options.charges ? { fuelSurcharge: true } : {}),
  }));
  const products = Array.from({ length: PRODUCTS }, (_, i) => ({
    code: productCode(i),
    name: `Rose variety ${i} 50cm`,
    kind: 'LIVE',
    unit: 'STEM',
    defaultBoxType: 'QB',
    defaultUnitsPerBox: UNITS_PER_BOX,
  }));
  const vendors = FARMS.map((code, i) => ({ code, name: `Farm ${code}`, kind: 'FARM', defaultPortOfOrigin: PORTS[i] }));
  const data = await graphql(
    url,
    token,
    `mutation($c: [CustomerInput!]!, $p: [ProductInput!]!, $v: [VendorInput!]!) {
    c: upsertCustomers(input: $c) { errors { message } }
    p: upsertProducts(input: $p) { errors { message } }
    v: upsertVendors(input: $v) { errors { message } }
    k: upsertCarriers(input: [{ code: "ARMELLINI", name: "Armellini" }, { code: "FEDEX", name: "FedEx" }, { code: "OWN", name: "Own truck" }]) { errors { message } }
    l: upsertLocations(input: [{ code: "MIA", name: "Miami" }]) { errors { message } }
  }`,
    { c: customers, p: products, v: vendors },
  );
  for (const [key, value] of Object.entries(data)) {
    if ((value as { errors: unknown[] }).errors.length) throw new Error(`seeding ${key}: ${JSON.stringify(value)}`);
  }
  if (options.charges) {
    const rules = [
      {
        code: 'FUEL',
        name: 'Fuel surcharge',
        kind: 'FUEL_SURCHARGE',
        rates: [...new Set(PORTS)].map((port) => ({ portOfOrigin: port, boxType: 'QB', amount: '1.50' })),
      },
      { code: 'HANDLING', name: 'Handling', kind: 'AUTOMATIC', basis: 'PER_BOX', amount: '0.50', maxPerDay: '500.00' },
      { code: 'ORDER', name: 'Order fee', kind: 'AUTOMATIC', carrier: 'ARMELLINI', basis: 'PER_INVOICE', amount: '5.00' },
      { code: 'INSURANCE', name: 'Insurance', kind: 'AUTOMATIC', basis: 'PERCENT_OF_SUBTOTAL', amount: '1' },
    ];
    const saved = await graphql(url, token, `mutation($r: [ChargeRuleInput!]!) { saveChargeRules(input: $r) { errors { message } } }`, { r: rules });
    if ((saved.saveChargeRules as { errors: unknown[] }).errors.length) throw new Error(`seeding charge rules: ${JSON.stringify(saved)}`);
  }
}

export interface Plan {
  boxes: number;
  prebookLines: number;
  boxesPerLine: number;
  openMarketBoxes: number;
  allocationLines: number;
}

/** Three quarters of the boxes serve prebook lines (at most 2,000 lines), a quarter is open market. */
export function planFor(boxes: number): Plan {
  const prebookBoxes = Math.round(boxes * 0.75);
  const prebookLines = Math.min(2000, prebookBoxes);
  const boxesPerLine = Math.max(1, Math.round(prebookBoxes / prebookLines));
  const openMarketBoxes = boxes - prebookLines * boxesPerLine;
  return {
    boxes: prebookLines * boxesPerLine + openMarketBoxes,
    prebookLines,
    boxesPerLine,
    openMarketBoxes,
    allocationLines: Math.max(1, Math.round(prebookLines / 10)),
  };
}

/** A prebook as the bench sends it to savePrebooks, writes it into a sheet and inserts it with raw SQL. */
export interface BenchPrebookInput {
  ref: string;
  customer: string;
  carrier: string;
  truckDate: string;
  customerPo: string;
  lines: Array<{ product: string; boxes: number; unitsPerBox: number; price: string; cost: string | null; vendor: string; vendorCost: string }>;
}

/** Prebook input: `lines` lines spread over the customers, ten products per prebook. */
export function prebookInput(lines: number, boxesPerLine: number, truckDate: string, tag: string): BenchPrebookInput[] {
  const prebooks: BenchPrebookInput[] = [];
  for (let line = 0; line < lines; line++) {
    const customer = line % CUSTOMERS;
    // Distinct products within a customer's prebook, and every product among the first lines.
    const product = (Math.floor(line / CUSTOMERS) + line) % PRODUCTS;
    let prebook = prebooks[customer + CUSTOMERS * Math.floor(line / (CUSTOMERS * PRODUCTS))];
    if (!prebook) {
      prebook = {
        ref: `${tag}-${customer}-${line}`,
        customer: customerCode(customer),
        carrier: customer % 3 === 0 ? 'FEDEX' : 'ARMELLINI',
        truckDate,
        customerPo: `${tag}-${customer}`,
        lines: [],
      };
      prebooks[customer + CUSTOMERS * Math.floor(line / (CUSTOMERS * PRODUCTS))] = prebook;
    }
    prebook.lines.push({
      product: productCode(product),
      boxes: boxesPerLine,
      unitsPerBox: UNITS_PER_BOX,
      price: (0.7 + (line % 7) * 0.05).toFixed(2),
      cost: null,
      vendor: vendorOf(product),
      vendorCost: '0.40',
    });
  }
  return prebooks.filter(Boolean);
}

async function savePrebooks(url: string, token: string, prebooks: BenchPrebookInput[]): Promise<void> {
  for (let i = 0; i < prebooks.length; i += 500) {
    const data = await graphql(url, token, `mutation($i: [PrebookInput!]!) { savePrebooks(input: $i) { errors { code message row field } } }`, {
      i: prebooks.slice(i, i + 500),
    });
    if (data.savePrebooks.errors.length) throw new Error(`savePrebooks: ${JSON.stringify(data.savePrebooks.errors.slice(0, 3))}`);
  }
}

/** Prebooks bought from the farms, open-market POs, and prebook lines left to allocate; returns every PO number. */
export async function buildDocuments(url: string, token: string, plan: Plan): Promise<{ purchaseOrders: string[] }> {
  const truckDate = isoDate(5);
  await savePrebooks(url, token, prebookInput(plan.prebookLines, plan.boxesPerLine, truckDate, 'PB'));
  const bought = await graphql(
    url,
    token,
    `mutation($i: CreatePurchaseOrdersFromPrebooksInput!) { createPurchaseOrdersFromPrebooks(input: $i) { purchaseOrders { number } errors { message } } }`,
    {
      i: { location: 'MIA', filter: { truckDateTo: truckDate } },
    },
  );
  if (bought.createPurchaseOrdersFromPrebooks.errors.length) throw new Error(JSON.stringify(bought.createPurchaseOrdersFromPrebooks.errors.slice(0, 3)));
  // Lines no PO serves, for massAllocate to fill from the open market.
  await savePrebooks(url, token, prebookInput(plan.allocationLines, 1, isoDate(6), 'ALLOC'));

  const perProduct = Math.floor(plan.openMarketBoxes / PRODUCTS);
  const extra = plan.openMarketBoxes - perProduct * PRODUCTS;
  const openMarket = FARMS.map((vendor, v) => ({
    ref: `OM-${vendor}`,
    vendor,
    location: 'MIA',
    shipDate: isoDate(2),
    lines: Array.from({ length: PRODUCTS }, (_, p) => p)
      .filter((p) => p % FARMS.length === v)
      .map((p) => ({ product: productCode(p), boxes: perProduct + (p < extra ? 1 : 0), unitCost: '0.38' }))
      .filter((line) => line.boxes > 0),
  })).filter((po) => po.lines.length > 0);
  const standalone = openMarket.length
    ? await graphql(url, token, `mutation($i: [PurchaseOrderInput!]!) { savePurchaseOrders(input: $i) { purchaseOrders { number } errors { message } } }`, {
        i: openMarket,
      })
    : { savePurchaseOrders: { purchaseOrders: [], errors: [] } };
  if (standalone.savePurchaseOrders.errors.length) throw new Error(JSON.stringify(standalone.savePurchaseOrders.errors.slice(0, 3)));
  return {
    purchaseOrders: [...bought.createPurchaseOrdersFromPrebooks.purchaseOrders, ...standalone.savePurchaseOrders.purchaseOrders].map(
      (po: { number: string }) => po.number,
    ),
  };
}

/** Ships every line of the POs in full, in shipments of at most 10,000 boxes (the server's limit per call). */
export async function shipAll(url: string, token: string, purchaseOrders: string[]): Promise<number> {
  let boxes = 0;
  for (const number of purchaseOrders) {
    const po = await graphql(url, token, `query($n: String) { purchaseOrders(filter: { number: $n }) { nodes { lines { id boxes } } } }`, { n: number });
    const shipments: Array<Array<{ poLine: string; boxes: number }>> = [[]];
    let room = 10_000;
    for (const line of po.purchaseOrders.nodes[0].lines as Array<{ id: string; boxes: number }>) {
      let left = line.boxes;
      while (left > 0) {
        if (room === 0) {
          shipments.push([]);
          room = 10_000;
        }
        const take = Math.min(left, room);
        shipments.at(-1)!.push({ poLine: line.id, boxes: take });
        left -= take;
        room -= take;
      }
    }
    for (const lines of shipments) {
      const data = await graphql(
        url,
        token,
        `mutation($i: ShipPurchaseOrderInput!) { shipPurchaseOrder(input: $i) { shipment { boxCount } errors { message } } }`,
        {
          i: { purchaseOrder: number, freightPerBox: '4.00', lines },
        },
      );
      if (data.shipPurchaseOrder.errors.length) throw new Error(`ship ${number}: ${JSON.stringify(data.shipPurchaseOrder.errors.slice(0, 3))}`);
      boxes += data.shipPurchaseOrder.shipment.boxCount;
    }
  }
  return boxes;
}
