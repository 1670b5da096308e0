import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { loadBillableBoxes } from '../../../../server/src/modules/box/billable-box';
import { BoxSchema } from '../../../../server/src/modules/box/box.entity';
import { PrebookLineSchema } from '../../../../server/src/modules/prebook/prebook.entity';
import { confirm, DEFAULT_SETTINGS, isoDate, prebooksInStaging, setSettings } from '../../../support/billing';
import { seedCatalogue } from '../../../support/fixtures';
import { startTestServer, type TestServer } from '../../../support/test-server';

/*
 * Billable boxes read the prebook lines they serve as plain rows, not entities (billing reads thousands at
 * once). Billing must see in them what the entities hold: a fact missing or mistyped there bills wrongly.
 */
describe('billable boxes', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    await setSettings(t, { ...DEFAULT_SETTINGS, autoBilling: 'OFF' });
  });
  afterAll(() => t?.close());

  /** What billing reads of a prebook line, from an entity or from a billable box's demand. */
  const facts = (line: any) => ({
    id: line.id,
    sellBy: line.sellBy,
    boxes: line.boxes ?? null,
    units: line.units,
    price: line.price == null ? null : Number(line.price),
    cost: line.cost == null ? null : Number(line.cost),
    prebook: {
      id: line.prebook.id,
      number: line.prebook.number,
      status: line.prebook.status,
      source: line.prebook.source,
      truckDate: String(line.prebook.truckDate),
      customerPo: line.prebook.customerPo ?? null,
      holiday: line.prebook.holiday,
      shipTo: line.prebook.shipTo?.id ?? null,
      carrier: line.prebook.carrier.id,
      customer: {
        id: line.prebook.customer.id,
        code: line.prebook.customer.code,
        name: line.prebook.customer.name,
        kind: line.prebook.customer.kind,
        creditHold: line.prebook.customer.creditHold,
        creditLimit: line.prebook.customer.creditLimit == null ? null : Number(line.prebook.customer.creditLimit),
        openBalance: Number(line.prebook.customer.openBalance),
        consolidateInvoicesOnAutoBilling: line.prebook.customer.consolidateInvoicesOnAutoBilling,
        excludedFromAutoBilling: line.prebook.customer.excludedFromAutoBilling,
      },
    },
  });

  it('read the prebook lines they serve with the facts of the entities: prebook, ship-to, carrier, customer PO, holiday, customer', async () => {
    const truckDate = isoDate(30);
    await t.orm.em.getConnection().execute(`update customer set credit_limit = 1234.5, open_balance = 12.25 where code = 'BLOOMS'`);
    const staged = await prebooksInStaging(t, [
      {
        customer: 'FRESHMART',
        shipTo: 'DC-ATL',
        truckDate,
        customerPo: 'PO-77',
        holiday: true,
        lines: [
          { product: 'ROSE-FREEDOM-50', boxes: 2, unitsPerBox: 100, price: '0.80', cost: '0.55' },
          { product: 'CARN-WHITE', sellBy: 'UNIT', units: 1000, unitsPerBox: 500 },
        ],
      },
      { customer: 'BLOOMS', carrier: 'FEDEX', truckDate, lines: [{ product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100, price: '0.90' }] },
    ]);
    await confirm(t, staged[0].labels);
    const em = t.orm.em.fork() as EntityManager;
    const ids = (await em.find(BoxSchema, { label: { $in: staged[0].labels } }, { fields: ['id'] })).map((box) => box.id);
    const boxes = await loadBillableBoxes(em, ids);
    const served = boxes.flatMap((box) => box.demands.map((demand) => demand.prebookLine));
    expect(new Set(served.map((line) => line.id)).size).toBe(3);
    const entities = await t.orm.em
      .fork()
      .find(
        PrebookLineSchema,
        { id: { $in: served.map((line) => line.id) } },
        { populate: ['prebook', 'prebook.customer', 'prebook.shipTo', 'prebook.carrier'] },
      );
    const byId = new Map(entities.map((line) => [line.id, line]));
    for (const line of served) expect(facts(line)).toEqual(facts(byId.get(line.id)));
    // Lines of one prebook share its prebook and customer: a confirmation holds each once, not once per line.
    const freshmart = served.filter((line) => line.prebook.customer.code === 'FRESHMART');
    expect(new Set(freshmart.map((line) => line.prebook)).size).toBe(1);
    expect(freshmart.find((line) => line.sellBy === 'UNIT')?.price ?? null).toBeNull();
  });
});
