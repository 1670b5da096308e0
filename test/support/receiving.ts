import type { TestServer } from './test-server';

/** A standalone PO of `boxes` boxes of one product, shipped and confirmed: returns the box labels. */
export async function stockBoxes(
  t: TestServer,
  options: { product: string; boxes: number; unitCost: string; customer?: string; vendor?: string; confirm?: boolean },
): Promise<string[]> {
  const po = await t.ok(
    `mutation($input: [PurchaseOrderInput!]!) { savePurchaseOrders(input: $input) { purchaseOrders { number lines { id } } errors { message } } }`,
    {
      input: [
        {
          vendor: options.vendor ?? 'ROSAS',
          customer: options.customer ?? null,
          location: 'MIA',
          shipDate: '2027-02-01',
          lines: [{ product: options.product, boxes: options.boxes, unitCost: options.unitCost }],
        },
      ],
    },
  );
  if (po.savePurchaseOrders.errors.length) throw new Error(JSON.stringify(po.savePurchaseOrders.errors));
  const { number, lines } = po.savePurchaseOrders.purchaseOrders[0];
  const shipped = await t.ok(`mutation($input: ShipPurchaseOrderInput!) { shipPurchaseOrder(input: $input) { boxes { label } errors { message } } }`, {
    input: { purchaseOrder: number, lines: [{ poLine: lines[0].id, boxes: options.boxes }] },
  });
  const labels: string[] = shipped.shipPurchaseOrder.boxes.map((b: any) => b.label);
  if (options.confirm !== false) {
    await t.ok(`mutation($labels: [String!]) { confirmStaging(input: { labels: $labels }) { errors { message } } }`, { labels });
  }
  return labels;
}
