import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestContext } from '../../../../server/src/common/request-context';
import { confirmStaging } from '../../../../server/src/modules/receiving/confirm-staging.service';
import { confirm, DEFAULT_SETTINGS, isoDate, prebooksInStaging, setSettings } from '../../../support/billing';
import { seedCatalogue } from '../../../support/fixtures';
import { createLogger } from '../../../../server/src/logger';
import { startTestServer, type TestServer } from '../../../support/test-server';
import { createLoaders } from '../../../../server/src/common/loaders';
import { prebookLineQuantities } from '../../../../server/src/modules/prebook/prebook.repository';

/*
 * A confirmation of more labels than one call takes (only purchase orders give that many) goes in
 * slices, each written and dropped from the session before the next, in one transaction. The slices
 * must not show: the same boxes confirmed and billed on the same invoices and lines, with the same
 * quantities and money, as one pass over all of them.
 */
describe('confirmStaging in slices', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    await setSettings(t, { ...DEFAULT_SETTINGS, autoBilling: 'ON_MANUAL_CONFIRMATION' });
  });
  afterAll(() => t?.close());

  /** Two customers, three consolidation keys, two products: 7 boxes a line, 42 boxes, shipped in one order. */
  const stage = (truckDate: string) =>
    prebooksInStaging(t, [
      {
        customer: 'FRESHMART',
        shipTo: 'DC-ATL',
        truckDate,
        lines: [
          { product: 'ROSE-FREEDOM-50', boxes: 7, unitsPerBox: 100, price: '0.80', cost: '0.55' },
          { product: 'CARN-WHITE', boxes: 7, unitsPerBox: 500, price: '0.20' },
        ],
      },
      { customer: 'FRESHMART', shipTo: 'DC-ORL', truckDate, lines: [{ product: 'ROSE-FREEDOM-50', boxes: 7, unitsPerBox: 100, price: '0.85' }] },
      {
        customer: 'BLOOMS',
        carrier: 'FEDEX',
        truckDate,
        lines: [
          { product: 'ROSE-FREEDOM-50', boxes: 7, unitsPerBox: 100, price: '0.90', cost: '0.60' },
          { product: 'CARN-WHITE', boxes: 14, unitsPerBox: 500, price: '0.25' },
        ],
      },
    ]);

  /** The invoices of a truck date as their lines: customer, ship-to, line number, product, boxes, units, price, cost, takes. */
  async function billed(truckDate: string) {
    return t.orm.em.getConnection().execute<Array<Record<string, unknown> & { takes: number }>>(
      `select c.code as customer, st.code as ship_to, dense_rank() over (order by i.id)::int as invoice, i.status, l.line_no, p.code as product,
              l.boxes, l.units, l.unit_price::text, l.unit_cost::text, (select count(*) from invoice_line_box t where t.invoice_line_id = l.id)::int as takes
         from invoice i join invoice_line l on l.invoice_id = i.id join customer c on c.id = i.customer_id
         left join ship_to st on st.id = i.ship_to_id join product p on p.id = l.product_id
        where i.truck_date = ? order by i.id, l.line_no`,
      [truckDate],
    );
  }

  it('bills the same invoices, lines, quantities and money in slices of 5 labels as in one pass', async () => {
    const whole = await stage(isoDate(40));
    const sliced = await stage(isoDate(41));
    expect(sliced[0].labels).toHaveLength(42);

    const once = await confirm(t, whole[0].labels);
    const em = t.orm.em.fork();
    const ctx: RequestContext = {
      em,
      actor: { tokenId: null, name: 'test', role: 'ADMIN', customerId: null },
      logger: createLogger('silent'),
      requestId: 'confirm-in-slices',
      loaders: createLoaders(em, prebookLineQuantities),
    };
    const inSlices = await confirmStaging(ctx, { labels: sliced[0].labels }, null, 5);

    expect(inSlices.errors).toEqual([]);
    expect(inSlices.results.map((r) => r.label)).toEqual(sliced[0].labels);
    expect(inSlices.results.map((r) => [r.outcome, r.billing?.invoiceNumbers.length, r.billing?.issue])).toEqual(
      once.map((r) => [r.outcome, r.billing.invoiceNumbers.length, r.billing.issue]),
    );
    // Boxes of one key across several slices went on one invoice.
    const numbers = new Set(inSlices.results.flatMap((r) => r.billing?.invoiceNumbers ?? []));
    expect(numbers.size).toBe(3);
    const lines = await billed(isoDate(41));
    expect(lines).toHaveLength(5);
    expect(lines).toEqual(await billed(isoDate(40)));
    expect(lines.reduce((sum, line) => sum + line.takes, 0)).toBe(42);
  });
});
