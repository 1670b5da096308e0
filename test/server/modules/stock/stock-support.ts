import type { TestServer } from '../../../support/test-server';

/** A standalone PO of `boxes` boxes shipped to `location` with an arrival date, confirmed unless told not to: the labels. */
export async function shipBoxes(
  t: TestServer,
  options: { product: string; boxes: number; unitCost: string; location?: string; arrivalDate?: string; confirm?: boolean },
): Promise<string[]> {
  const po = await t.ok(
    `mutation($input: [PurchaseOrderInput!]!) { savePurchaseOrders(input: $input) { purchaseOrders { number lines { id } } errors { message } } }`,
    {
      input: [
        {
          vendor: 'ROSAS',
          location: options.location ?? 'MIA',
          shipDate: [options.arrivalDate ?? '2027-02-01', '2027-02-01'].sort()[0],
          lines: [{ product: options.product, boxes: options.boxes, unitCost: options.unitCost }],
        },
      ],
    },
  );
  if (po.savePurchaseOrders.errors.length) throw new Error(JSON.stringify(po.savePurchaseOrders.errors));
  const { number, lines } = po.savePurchaseOrders.purchaseOrders[0];
  const shipped = await t.ok(`mutation($input: ShipPurchaseOrderInput!) { shipPurchaseOrder(input: $input) { boxes { label } errors { message } } }`, {
    input: { purchaseOrder: number, arrivalDate: options.arrivalDate ?? '2027-02-01', lines: [{ poLine: lines[0].id, boxes: options.boxes }] },
  });
  if (shipped.shipPurchaseOrder.errors.length) throw new Error(JSON.stringify(shipped.shipPurchaseOrder.errors));
  const labels: string[] = shipped.shipPurchaseOrder.boxes.map((b: { label: string }) => b.label);
  if (options.confirm !== false) await t.ok(`mutation($labels: [String!]) { confirmStaging(input: { labels: $labels }) { errors { message } } }`, { labels });
  return labels;
}

/** A token of a role, for calls made as someone else than the admin. */
export async function tokenOf(t: TestServer, role: string): Promise<string> {
  const data = await t.ok(`mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret } }`, { input: { name: `${role} one`, role } });
  return data.createApiToken.secret;
}
