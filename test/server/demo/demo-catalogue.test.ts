// The demo catalogue npm start seeds: what it holds, that it is seeded once and only on an empty
// database, atomically, even when several server processes start on one database at once.
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CATALOGUE, seedDemoCatalogue } from '../../../server/src/demo/demo-catalogue';
import { initOrm } from '../../../server/src/db/orm';
import { createLogger } from '../../../server/src/logger';
import { countRows, createTestDatabase, startTestServer, type TestServer } from '../../support/test-server';

const logger = createLogger('silent');
const SEEDED_COUNTS = { locations: 2, carriers: 3, vendors: 5, products: 20, customers: 5 };
const MASTER_TABLES = ['location', 'carrier', 'vendor', 'product', 'customer', 'ship_to'];

/** Rows of the master-data tables, and the audit events the seeding wrote (npm start's first token has one of its own). */
async function tableCounts(orm: MikroORM): Promise<Record<string, number>> {
  const counts: Record<string, number> = Object.fromEntries(
    await Promise.all(MASTER_TABLES.map(async (table) => [table, await countRows(orm, table)] as const)),
  );
  const [audit] = await orm.em.fork().getConnection().execute<{ n: number }[]>(`select count(*)::int as n from audit_event where actor = 'demo data'`);
  return { ...counts, audit_event: audit.n };
}

describe('seedDemoCatalogue', () => {
  const orms: MikroORM[] = [];
  async function emptyDatabase(): Promise<{ url: string; orm: MikroORM }> {
    const url = await createTestDatabase();
    const orm = await initOrm(url);
    orms.push(orm);
    return { url, orm };
  }
  afterAll(async () => {
    for (const orm of orms) await orm.close();
  });

  describe('on an empty database', () => {
    let t: TestServer;
    let afterFirstSeed: Record<string, number>;
    beforeAll(async () => {
      t = await startTestServer();
    });
    afterAll(() => t.close());

    it('seeds a wholesale catalogue: farms in Colombia and Ecuador, hard goods, a production company, locations, customers, billing on confirmation', async () => {
      expect(await seedDemoCatalogue(t.orm, logger)).toEqual({ seeded: true, counts: SEEDED_COUNTS });
      afterFirstSeed = await tableCounts(t.orm);
      const data = await t.ok(`{
        vendors { nodes { code name kind defaultPortOfOrigin } }
        products(first: 100) { nodes { code kind unit defaultBoxType { code } defaultUnitsPerBox } }
        customers { nodes { code name kind billingAddress shipTos { code } } }
        locations { totalCount }
        carriers { totalCount }
        settings { autoBilling targetGpm companyName }
      }`);

      const farms = data.vendors.nodes.filter((v: any) => v.kind === 'FARM');
      expect(
        farms
          .filter((v: any) => /Colombia/.test(v.name))
          .map((v: any) => v.defaultPortOfOrigin)
          .sort(),
      ).toEqual(['BOG', 'MDE']);
      expect(farms.filter((v: any) => /Ecuador/.test(v.name)).map((v: any) => v.defaultPortOfOrigin)).toEqual(['UIO']);
      expect(data.vendors.nodes.filter((v: any) => v.kind === 'HARD_GOODS')).toHaveLength(1);
      // The production company is a vendor (of the finished goods) and a customer (of the components) under one code.
      const production = data.vendors.nodes.filter((v: any) => v.kind === 'PRODUCTION');
      expect(production).toHaveLength(1);
      expect(data.customers.nodes.map((c: any) => c.code)).toContain(production[0].code);
      expect(data.customers.nodes.find((c: any) => c.code === production[0].code).kind).toBe('PRODUCTION');

      expect(data.locations.totalCount).toBeGreaterThanOrEqual(2);
      expect(data.carriers.totalCount).toBeGreaterThanOrEqual(2);
      const supermarkets = data.customers.nodes.filter((c: any) => /Supermarkets|Markets/.test(c.name));
      expect(supermarkets.length).toBeGreaterThanOrEqual(2);
      for (const customer of supermarkets) expect(customer.shipTos.length, customer.code).toBeGreaterThanOrEqual(1);
      expect(data.customers.nodes.filter((c: any) => /florist/.test(c.name)).length).toBeGreaterThanOrEqual(2);
      expect(new Set(data.customers.nodes.map((c: any) => c.kind))).toEqual(new Set(['REGULAR', 'PRODUCTION']));
      for (const customer of data.customers.nodes) expect(customer.billingAddress, customer.code).toMatch(/\n/);
      expect(data.settings.companyName).not.toBe('');

      const products = data.products.nodes;
      const byKind = (kind: string) => products.filter((p: any) => p.kind === kind).map((p: any) => p.code);
      for (const family of ['ROSE-', 'SPRAY-', 'CARN-', 'HYDRANGEA-', 'GYPSO-'])
        expect(
          byKind('LIVE').some((code: string) => code.startsWith(family)),
          family,
        ).toBe(true);
      for (const hardGood of ['VASE-', 'SLEEVE-', 'FLOWER-FOOD-'])
        expect(
          byKind('HARD').some((code: string) => code.startsWith(hardGood)),
          hardGood,
        ).toBe(true);
      expect(byKind('FINISHED').length).toBeGreaterThanOrEqual(2);
      expect(byKind('FINISHED').every((code: string) => code.startsWith('BQT-'))).toBe(true);
      // Several grades of one variety (50 and 60 cm Freedom), and box types from the migrations' list.
      expect(byKind('LIVE')).toEqual(expect.arrayContaining(['ROSE-FREEDOM-50-RED', 'ROSE-FREEDOM-60-RED']));
      expect(new Set(products.map((p: any) => p.defaultBoxType.code))).toEqual(new Set(['QB', 'HB', 'FB']));
      expect(products.every((p: any) => p.defaultUnitsPerBox > 0)).toBe(true);

      expect(data.settings).toMatchObject({ autoBilling: 'ON_MANUAL_CONFIRMATION', targetGpm: '30.00' });
      // Written through the services: one audit event per record, by "demo data".
      expect(afterFirstSeed.audit_event).toBeGreaterThanOrEqual(Object.values(SEEDED_COUNTS).reduce((a, b) => a + b, 0));
    });

    it('seeds nothing the second time', async () => {
      expect(await seedDemoCatalogue(t.orm, logger)).toEqual({ seeded: false, reason: 'the database already holds data' });
      expect(await tableCounts(t.orm)).toEqual(afterFirstSeed);
    });

    it('is seeded once when several servers start on one database at the same moment', async () => {
      const { url, orm } = await emptyDatabase();
      const others = await Promise.all([initOrm(url), initOrm(url)]);
      orms.push(...others);
      const outcomes = await Promise.all([orm, ...others].map((o) => seedDemoCatalogue(o, logger)));
      expect(outcomes.filter((o) => o.seeded)).toHaveLength(1);
      expect(outcomes.filter((o) => !o.seeded)).toHaveLength(2);
      // Not one record or audit event more than a single seed writes.
      expect(await tableCounts(orm)).toEqual(afterFirstSeed);
    });
  });

  it('seeds nothing on a database that already has a customer', async () => {
    const t = await startTestServer();
    try {
      await t.ok(`mutation { upsertCustomers(input: [{ code: "ACME", name: "Acme Flowers" }]) { errors { code } } }`);
      expect(await seedDemoCatalogue(t.orm, logger)).toEqual({ seeded: false, reason: 'the database already holds data' });
      const counts = await tableCounts(t.orm);
      expect(counts).toMatchObject({ location: 0, carrier: 0, vendor: 0, product: 0, customer: 1 });
      expect((await t.ok(`{ settings { autoBilling } }`)).settings.autoBilling).toBe('ON_MANUAL_CONFIRMATION');
    } finally {
      await t.close();
    }
  });

  it('writes all of it or nothing: a failure half way leaves the database empty, and a later start seeds it', async () => {
    const { orm } = await emptyDatabase();
    // Locations, carriers and vendors are written before the products, one of which is wrong.
    const broken = { ...DEMO_CATALOGUE, products: [...DEMO_CATALOGUE.products, { ...DEMO_CATALOGUE.products[0], code: 'ROSE-BROKEN', defaultBoxType: 'XB' }] };
    await expect(seedDemoCatalogue(orm, logger, broken)).rejects.toThrow(/demo products: row 21 defaultBoxType: .*XB/);
    expect(await tableCounts(orm)).toEqual({ location: 0, carrier: 0, vendor: 0, product: 0, customer: 0, ship_to: 0, audit_event: 0 });
    expect(await seedDemoCatalogue(orm, logger)).toEqual({ seeded: true, counts: SEEDED_COUNTS });
  });
});
