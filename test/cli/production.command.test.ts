// A production run with the sheets, through stemline-sheet on .xlsx files: the bouquets pushed on the
// Prebooks sheet, components and bouquets confirmed from pulled Staging sheets, and the run pulled into
// the Production sheet. The run itself (recipe, run, component POs, transfer) is made through GraphQL.
//
// BQT-SPRING = 10 ROSE-FREEDOM-50 + 1 VASE-20; FRESHMART orders 16 at 12.00, estimated cost 6.00.
//   roses: need 160 -> 2 boxes of 100 at 0.35 + 5.00 freight per box = 0.40 landed; 1 box (100) transferred: short 60
//   vases: need 16 -> 2 boxes of 12 at 1.00; both (24) transferred: over 8
//   components 100 x 0.40 + 24 x 1.00 = 64.00; 16 bouquets received at 1.50 labour
//   actual 64.00 / 16 + 1.50 = 5.50; GPM estimated (12 - 6) / 12 = 50.00 %, actual (12 - 5.50) / 12 = 54.17 %
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/stemline-sheet';
import { TABLE_COLUMNS } from '../../addin/sheets/tables';
import type { TestServer } from '../support/test-server';
import { closeCliWorkspace, startCliWorkspace } from '../support/cli-workspace';
import { fillColumn, readSheet, writeSheet } from '../support/xlsx';

describe('stemline-sheet: a production run from Prebooks to the Production sheet', () => {
  let t: TestServer;
  let dir: string;
  let args: string[];
  beforeAll(async () => {
    ({ t, dir, args } = await startCliWorkspace('stemline-production-'));
    await t.ok(`mutation {
      s: updateSettings(input: { autoBilling: "ON_MANUAL_CONFIRMATION" }) { errors { code } }
      c: upsertCustomers(input: [{ code: "BOUQUETWORKS", kind: "PRODUCTION" }]) { errors { message } }
      p: upsertProducts(input: [{ code: "BQT-SPRING", recipe: [{ component: "ROSE-FREEDOM-50", units: "10" }, { component: "VASE-20", units: "1" }] }]) { errors { message } }
    }`);
  });
  afterAll(() => closeCliWorkspace(t, dir));

  async function shipAndConfirmWithSheets(poNumber: string, freightPerBox: string): Promise<string[]> {
    const po = await t.ok(`query($n: String) { purchaseOrders(filter: { number: $n }) { nodes { lines { id boxes } } } }`, { n: poNumber });
    await t.ok(`mutation($i: ShipPurchaseOrderInput!) { shipPurchaseOrder(input: $i) { errors { message } } }`, {
      i: { purchaseOrder: poNumber, freightPerBox, lines: po.purchaseOrders.nodes[0].lines.map((l: any) => ({ poLine: l.id, boxes: l.boxes })) },
    });
    const staging = path.join(dir, `staging-${poNumber}.xlsx`);
    expect(await main(['pull', 'staging', '--out', staging, '--po', poNumber, ...args])).toBe(0);
    await fillColumn(staging, 'Staging', 'Confirm', 'x');
    expect(await main(['confirm', staging, ...args])).toBe(0);
    return (await readSheet(staging, 'Staging')).map((r) => String(r.Label));
  }

  it('pulls the run into the Production sheet: a row per component, then the run total with estimated and actual cost', async () => {
    const prebooks = path.join(dir, 'prebooks.xlsx');
    await writeSheet(prebooks, 'Prebooks', [
      {
        Ref: 'A',
        Customer: 'FRESHMART',
        Carrier: 'ARMELLINI',
        'Truck Date': new Date('2027-02-10T00:00:00Z'),
        Product: 'BQT-SPRING',
        'Sell By': 'UNIT',
        Units: 16,
        Price: 12,
        Cost: 6,
      },
    ]);
    expect(await main(['push', 'prebooks', prebooks, ...args])).toBe(0);
    const [prebookRow] = await readSheet(prebooks, 'Prebooks');
    const lineId = String(prebookRow['Line Id']);

    const run = (
      await t.ok(
        `mutation($l: ID!) { saveProductionRun(input: { productionCompany: "BOUQUETWORKS", prebookLines: [$l] }) { productionRun { number } errors { message } } }`,
        { l: lineId },
      )
    ).saveProductionRun.productionRun.number;
    const bought = await t.ok(
      `mutation($r: String!) { createComponentPurchaseOrders(input: { productionRun: $r, components: [
        { component: "ROSE-FREEDOM-50", vendor: "ROSAS", location: "MIA", unitCost: "0.35" }
        { component: "VASE-20", vendor: "VASECO", location: "MIA", unitCost: "1.00" }] }) { purchaseOrders { number } errors { message } } }`,
      { r: run },
    );
    const [rosePo, vasePo] = bought.createComponentPurchaseOrders.purchaseOrders.map((po: any) => po.number);
    const roses = await shipAndConfirmWithSheets(rosePo, '5.00');
    const vases = await shipAndConfirmWithSheets(vasePo, '0');
    expect([roses.length, vases.length]).toEqual([2, 2]);

    const sent = await t.ok(
      `mutation($r: String!, $l: [String!]!) { transferComponents(productionRun: $r, labels: $l) { invoice { cost } errors { message } } }`,
      { r: run, l: [roses[0], ...vases] },
    );
    expect(sent.transferComponents).toEqual({ invoice: { cost: '64.00' }, errors: [] });

    const finished = await t.ok(
      `mutation($l: ID!) { createPurchaseOrdersFromPrebooks(input: { vendor: "BOUQUETWORKS", location: "MIA", prebookLines: [{ id: $l, unitCost: "1.50" }] }) { purchaseOrders { number } errors { message } } }`,
      { l: lineId },
    );
    const finishedPo = finished.createPurchaseOrdersFromPrebooks.purchaseOrders[0].number;
    await t.ok(`mutation($r: String!, $p: String!) { saveProductionRun(input: { number: $r, productionPurchaseOrder: $p }) { errors { message } } }`, {
      r: run,
      p: finishedPo,
    });
    expect(await shipAndConfirmWithSheets(finishedPo, '0')).toHaveLength(2);

    const production = path.join(dir, 'production.xlsx');
    expect(await main(['pull', 'production', '--out', production, '--run', run, ...args])).toBe(0);
    const rows = await readSheet(production, 'Production');
    expect(Object.keys(rows[0])).toEqual([...TABLE_COLUMNS.Production]);
    expect(rows.map((r) => Object.values(r))).toEqual([
      [run, 'BQT-SPRING', 'ROSE-FREEDOM-50', 160, 100, -60, null, null, null, null, 40],
      [run, 'BQT-SPRING', 'VASE-20', 16, 24, 8, null, null, null, null, 24],
      [run, 'BQT-SPRING', 'RUN TOTAL', 16, 16, 0, 6, 5.5, 50, 54.17, 64],
    ]);
    expect(await main(['pull', 'production', '--out', production, '--run', 'PR-999999', ...args])).toBe(1);
  });
});
