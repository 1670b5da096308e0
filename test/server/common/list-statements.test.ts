// No N+1: a page of 500 invoices (or prebooks, staging, inventory) with their nested objects costs the
// same number of SQL statements as a page of 5. Counted at the pg driver, for each request alone.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirm, isoDate, prebookInStaging } from '../../support/billing';
import { seedCatalogue } from '../../support/fixtures';
import { stockBoxes } from '../../support/receiving';
import { startTestServer, type TestServer } from '../../support/test-server';

const LISTS: Record<string, string> = {
  invoices: `query($n: Int) { invoices(first: $n) { totalCount nodes { number status total cost gpmPercent pricePending customer { code name } shipTo { code } carrier { code }
    lines { lineNo product { code name defaultBoxType { code } } boxes units unitPrice unitCost amount cost gpmPercent labels takes { label units } prebookLine { id prebookNumber ordered billed } } } } }`,
  prebooks: `query($n: Int) { prebooks(first: $n) { totalCount nodes { number status customer { code } shipTo { code } carrier { code }
    lines { id product { code } boxType { code } vendor { code } ordered purchased billed needed lockedByPo } } } }`,
  inventory: `query($n: Int) { inventory(first: $n) { totalCount nodes { label status product { code } boxType { code } location { code } vendor { code } customer { code } purchaseOrderNumber prebookNumber awb arrivalDate demands { prebookNumber customer { code } } } } }`,
  staging: `query($n: Int) { staging(first: $n) { totalCount nodes { label product { code } vendor { code } customer { code } purchaseOrderNumber awb overdue demands { prebookNumber customer { code } } } } }`,
  purchaseOrders: `query($n: Int) { purchaseOrders(first: $n) { totalCount nodes { number vendor { code } customer { code } location { code } lines { product { code } boxType { code } boxes } } } }`,
};

describe('SQL statements per list request', () => {
  let t: TestServer;
  let counting = false;
  let statements = 0;
  const original = pg.Client.prototype.query;

  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    // 30 prebooks billed on 30 invoices (two lines each), 30 staged and 30 open-market boxes.
    for (let i = 0; i < 15; i++) {
      for (const customer of ['FRESHMART', 'BLOOMS']) {
        const staged = await prebookInStaging(t, {
          customer,
          truckDate: isoDate(5 + i),
          lines: [
            { product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100, price: '0.90' },
            { product: 'VASE-20', boxes: 1, unitsPerBox: 12, price: '2.00' },
          ],
        });
        await confirm(t, staged.labels);
      }
    }
    await prebookInStaging(t, { customer: 'FRESHMART', truckDate: isoDate(30), lines: [{ product: 'CARN-WHITE', boxes: 30, unitsPerBox: 500 }] });
    await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 30, unitCost: '0.40' });
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      if (counting) statements++;
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as never;
  }, 180_000);
  afterAll(async () => {
    pg.Client.prototype.query = original;
    await t.close();
  });

  async function count(query: string, first: number): Promise<{ statements: number; nodes: number }> {
    statements = 0;
    counting = true;
    try {
      const data = await t.ok(query, { n: first });
      return { statements, nodes: (Object.values(data)[0] as { nodes: unknown[] }).nodes.length };
    } finally {
      counting = false;
    }
  }

  it.each(Object.keys(LISTS))('%s: a page of 500 takes as many statements as a page of 5', async (name) => {
    const small = await count(LISTS[name], 5);
    const large = await count(LISTS[name], 500);
    expect(small.nodes).toBe(5);
    expect(large.nodes).toBeGreaterThanOrEqual(30);
    console.log(`${name}: ${small.statements} statements for 5, ${large.statements} for ${large.nodes}`);
    expect(large.statements).toBe(small.statements);
    expect(small.statements).toBeGreaterThan(0);
  });
});
