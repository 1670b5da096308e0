// The age, rotation and availability queries read boxes through indexes: at 100,000 boxes (seeded with
// set-based SQL, most of them sold long ago) their plans have no sequential scan on box.
import type { LogContext } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availabilitySql } from '../../../../server/src/modules/stock/availability.repository';
import { seedCatalogue } from '../../../support/fixtures';
import { startTestServer, type TestServer } from '../../../support/test-server';
import { shipBoxes } from './stock-support';

type PlanNode = { 'Node Type': string; 'Relation Name'?: string; Plans?: PlanNode[] };

/** Every node of a plan, depth first. */
const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

async function planOf(em: EntityManager, sql: string, params: unknown[]): Promise<PlanNode[]> {
  const rows = await em.execute<Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>>(`explain (format json) ${sql}`, params);
  return nodesOf(rows[0]['QUERY PLAN'][0].Plan);
}

const seqScansOnBox = (nodes: PlanNode[]) => nodes.filter((node) => node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'box');

describe('plans of the stock queries at 100,000 boxes', () => {
  let t: TestServer;
  let em: EntityManager;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    await t.ok(`mutation { upsertProductCategories(input: [{ code: "ROSES", name: "Roses", maxAgeDays: 7 }]) { errors { code } } }`);
    await t.ok(`mutation { upsertProducts(input: [{ code: "ROSE-FREEDOM-50", category: "ROSES" }]) { errors { code } } }`);
    await shipBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 1, unitCost: '0.40', arrivalDate: '2027-02-08' });
    em = t.orm.em.fork() as EntityManager;
    // 100,000 boxes of the four products in one statement: 2 % in inventory, 1 % staged, the rest sold or void.
    await em.execute(
      `insert into box (label, shipment_id, purchase_order_line_id, product_id, box_type_id, location_id, units, units_remaining,
                        port_of_origin, landed_unit_cost, status, received, created_at)
       select 'PLAN-' || g, b.shipment_id, b.purchase_order_line_id, (select array_agg(id order by id) from product)[1 + g % 4], b.box_type_id,
              b.location_id, 100, case when g % 50 = 0 or g % 100 = 1 then 100 else 0 end, b.port_of_origin, 0.40,
              case when g % 50 = 0 then 'IN_INVENTORY' when g % 100 = 1 then 'STAGED' when g % 7 = 0 then 'VOID' else 'INVOICED' end,
              g % 100 <> 1, now() - make_interval(days => g % 400)
         from generate_series(1, 100000) as g, (select * from box order by id limit 1) as b`,
    );
    await em.execute('analyze box');
  }, 120_000);
  afterAll(() => t.close());

  it('seeds 100,000 boxes', async () => {
    const [row] = await em.execute<Array<{ n: string }>>(`select count(*) as n from box`);
    expect(Number(row.n)).toBeGreaterThan(100_000);
  });

  it.each([
    { name: 'the availability list', where: { onHandOnly: false } },
    { name: 'the availability list, on hand only', where: { onHandOnly: true } },
    { name: 'the availability list of one product', where: { onHandOnly: false, productId: 1 } },
  ])('$name: no sequential scan on box', async ({ where }) => {
    const { sql, params } = availabilitySql({ today: '2027-02-10', timeZone: 'America/New_York', ...where });
    const nodes = await planOf(em, sql, params);
    expect(seqScansOnBox(nodes)).toEqual([]);
    expect(nodes.some((node) => node['Relation Name'] === 'box')).toBe(true);
  });

  it('the rotation (the stock massAllocate locks) and aged stock, as the server sends them: no sequential scan on box', async () => {
    await t.ok(`mutation($i: [PrebookInput!]!) { savePrebooks(input: $i) { errors { message } } }`, {
      i: [{ customer: 'BLOOMS', carrier: 'ARMELLINI', truckDate: '2027-02-12', lines: [{ product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100 }] }],
    });
    // Every statement the two requests send, with its parameters, as MikroORM logs it.
    const logger = t.orm.config.getLogger();
    const logQuery = logger.logQuery;
    const sent: Array<{ sql: string; params: unknown[] }> = [];
    logger.logQuery = (context: LogContext) => {
      sent.push({ sql: String(context.query), params: [...(context.params ?? [])] });
      return logQuery.call(logger, context);
    };
    try {
      await t.ok(`mutation { massAllocate(filter: { product: "ROSE-FREEDOM-50" }, dryRun: true) { errors { code } } }`);
      await t.ok(`{ agedStock { totalCount } }`);
    } finally {
      logger.logQuery = logQuery;
    }
    const boxReads = sent.filter(({ sql }) => /^select b\.id from box b/i.test(sql.trim()));
    expect(boxReads.length).toBe(2);
    for (const { sql, params } of boxReads) expect(seqScansOnBox(await planOf(em, sql, params))).toEqual([]);
  });

  it('without the (status, product) index the availability list would scan box: the test sees it', async () => {
    const { sql, params } = availabilitySql({ today: '2027-02-10', timeZone: 'America/New_York', onHandOnly: false });
    const fork = t.orm.em.fork() as EntityManager;
    await fork.begin();
    try {
      await fork.execute('drop index box_status_product_id_index');
      await fork.execute('drop index box_status_customer_id_index');
      expect(seqScansOnBox(await planOf(fork, sql, params)).length).toBeGreaterThan(0);
    } finally {
      await fork.rollback();
    }
  });
});
