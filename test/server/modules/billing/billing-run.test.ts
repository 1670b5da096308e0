import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../../../server/src/common/request-context';
import { today } from '../../../../server/src/common/today';
import { createLogger } from '../../../../server/src/logger';
import { BillingRun } from '../../../../server/src/modules/billing/billing.service';
import { loadBillableBoxes, saveBillableBoxes } from '../../../../server/src/modules/box/billable-box';
import { BoxSchema } from '../../../../server/src/modules/box/box.entity';
import { getSettings } from '../../../../server/src/modules/settings/settings.service';
import { confirm, DEFAULT_SETTINGS, isoDate, prebookInStaging, setSettings } from '../../../support/billing';
import { seedCatalogue } from '../../../support/fixtures';
import { startTestServer, type TestServer } from '../../../support/test-server';
import { createLoaders } from '../../../../server/src/common/loaders';
import { prebookLineQuantities } from '../../../../server/src/modules/prebook/prebook.repository';

/*
 * A billing run writes the invoice lines it adds as plain rows at finish(). A run that places and finishes
 * again (one box at a time) extends the line its first finish() wrote: the line must then hold every box.
 */
describe('BillingRun', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    await setSettings(t, { ...DEFAULT_SETTINGS, autoBilling: 'OFF' });
  });
  afterAll(() => t?.close());

  it('a line its first finish() wrote takes the boxes of the next place() and finish(): boxes, units, cost and takes', async () => {
    const staged = await prebookInStaging(t, {
      customer: 'FRESHMART',
      truckDate: isoDate(20),
      lines: [{ product: 'ROSE-FREEDOM-50', boxes: 3, unitsPerBox: 100, price: '0.80' }],
    });
    await confirm(t, staged.labels);
    const em = t.orm.em.fork() as EntityManager;
    const ctx: RequestContext = {
      em,
      actor: { tokenId: null, name: 'test', role: 'ADMIN', customerId: null },
      logger: createLogger('silent'),
      requestId: 'billing-run',
      loaders: createLoaders(em, prebookLineQuantities),
    };
    const numbers = await em.transactional(async (tx) => {
      const ids = (await tx.find(BoxSchema, { label: { $in: staged.labels } }, { fields: ['id'], orderBy: { id: 'asc' } })).map((box) => box.id);
      const boxes = await loadBillableBoxes(tx as EntityManager, ids);
      expect(boxes.map((box) => box.inventoryType)).toEqual(['P', 'P', 'P']);
      const settings = await getSettings(tx as EntityManager);
      const run = new BillingRun(tx as EntityManager, ctx, settings, { source: 'AUTO_BILLING', dryRun: false, today: today(settings) });
      const lines = boxes.flatMap((box) => box.demands.map((d) => d.prebookLine));
      await run.prepare(
        lines,
        lines.map((line) => line.prebook.customer),
      );
      const placed: string[] = [];
      for (const box of boxes) {
        const { items, issue } = run.planBox(box);
        expect(issue).toBeNull();
        run.reserve(items);
        placed.push(...[...(await run.place(items)).values()].map((invoice) => invoice.number));
        await run.finish();
      }
      await saveBillableBoxes(tx as EntityManager, boxes);
      return placed;
    });
    expect(new Set(numbers).size).toBe(1);
    const rows = await t.orm.em.getConnection().execute<Array<Record<string, unknown>>>(
      `select l.line_no, l.boxes, l.units, l.unit_price::text as price, l.unit_cost::text as cost,
              (select count(*) from invoice_line_box x where x.invoice_line_id = l.id)::int as takes,
              (select count(*) from box b join invoice_line_box x on x.box_id = b.id where x.invoice_line_id = l.id and b.status = 'INVOICED')::int as invoiced
         from invoice_line l join invoice i on i.id = l.invoice_id where i.number = ?`,
      [numbers[0]],
    );
    expect(rows).toEqual([{ line_no: 1, boxes: 3, units: 300, price: '0.8000', cost: '0.4000', takes: 3, invoiced: 3 }]);
  });

  it('a confirmation of more than 1,000 boxes, whose boxes are written apart from its invoices, leaves every box invoiced on its line', async () => {
    await setSettings(t, { autoBilling: 'ON_MANUAL_CONFIRMATION' });
    try {
      const staged = await prebookInStaging(t, {
        customer: 'BLOOMS',
        truckDate: isoDate(21),
        lines: [{ product: 'ROSE-FREEDOM-50', boxes: 1100, unitsPerBox: 10, price: '0.80' }],
      });
      const results = await confirm(t, staged.labels);
      expect(new Set(results.map((r) => r.billing.invoiceNumbers.join()))).toHaveLength(1);
      const [row] = await t.orm.em.getConnection().execute<Array<Record<string, unknown>>>(
        `select l.boxes, l.units, (select count(*) from invoice_line_box x where x.invoice_line_id = l.id)::int as takes,
                (select count(*) from box b join invoice_line_box x on x.box_id = b.id
                  where x.invoice_line_id = l.id and b.status = 'INVOICED' and b.units_remaining = 0)::int as invoiced
           from invoice_line l join invoice i on i.id = l.invoice_id where i.number = ?`,
        [results[0].billing.invoiceNumbers[0]],
      );
      expect(row).toEqual({ boxes: 1100, units: 11000, takes: 1100, invoiced: 1100 });
    } finally {
      await setSettings(t, { autoBilling: 'OFF' });
    }
  });
});
