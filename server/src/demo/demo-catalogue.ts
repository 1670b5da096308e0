// The demo catalogue `npm start` seeds on an empty database: a small but realistic wholesale florist,
// written through the same services as the GraphQL upserts.
import crypto from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { createLoaders } from '../common/loaders';
import type { RequestContext } from '../common/request-context';
import type { Logger } from '../logger';
import { upsertCarriers } from '../modules/carrier/carrier.service';
import { upsertCustomers } from '../modules/customer/customer.service';
import { upsertLocations } from '../modules/location/location.service';
import { upsertProducts } from '../modules/product/product.service';
import { updateSettings } from '../modules/settings/settings.service';
import { upsertVendors } from '../modules/vendor/vendor.service';
import { prebookLineQuantities } from '../modules/prebook/prebook.repository';

const rose = (variety: string, cm: number, color: string) => ({
  code: `ROSE-${variety}-${cm}-${color}`,
  name: `Rose ${variety.charAt(0)}${variety.slice(1).toLowerCase()} ${cm}cm ${color.toLowerCase()}`,
  kind: 'LIVE',
  unit: 'STEM',
  defaultBoxType: 'QB',
  defaultUnitsPerBox: cm >= 60 ? 100 : 125,
});

export const DEMO_CATALOGUE = {
  locations: [
    { code: 'MIA', name: 'Miami warehouse' },
    { code: 'NYC', name: 'New York cross-dock' },
  ],
  carriers: [
    { code: 'ARMELLINI', name: 'Armellini Express Lines' },
    { code: 'FEDEX', name: 'FedEx Freight' },
    { code: 'OWN-TRUCK', name: 'Own truck' },
  ],
  vendors: [
    { code: 'ROSAS-SABANA', name: 'Rosas de la Sabana (Bogotá, Colombia)', kind: 'FARM', defaultPortOfOrigin: 'BOG' },
    { code: 'FLORES-ANTIOQUIA', name: 'Flores de Antioquia (Rionegro, Colombia)', kind: 'FARM', defaultPortOfOrigin: 'MDE' },
    { code: 'ECUAROSES', name: 'EcuaRoses (Cayambe, Ecuador)', kind: 'FARM', defaultPortOfOrigin: 'UIO' },
    { code: 'FLORALSUPPLY', name: 'Floral Supply Co. (vases, sleeves, food)', kind: 'HARD_GOODS', defaultPortOfOrigin: 'MIA' },
    { code: 'BOUQUETWORKS', name: 'Bouquet Works (production)', kind: 'PRODUCTION', defaultPortOfOrigin: 'MIA' },
  ],
  products: [
    rose('FREEDOM', 50, 'RED'),
    rose('FREEDOM', 60, 'RED'),
    rose('EXPLORER', 50, 'RED'),
    rose('MONDIAL', 50, 'WHITE'),
    rose('VENDELA', 50, 'WHITE'),
    rose('PINKFLOYD', 50, 'PINK'),
    { code: 'SPRAY-MIMI-PINK', name: 'Spray rose Mimi pink 50cm', kind: 'LIVE', unit: 'STEM', defaultBoxType: 'QB', defaultUnitsPerBox: 100 },
    { code: 'SPRAY-SNOWFLAKE-WHITE', name: 'Spray rose Snowflake white 50cm', kind: 'LIVE', unit: 'STEM', defaultBoxType: 'QB', defaultUnitsPerBox: 100 },
    { code: 'CARN-FANCY-WHITE', name: 'Carnation fancy white', kind: 'LIVE', unit: 'STEM', defaultBoxType: 'HB', defaultUnitsPerBox: 500 },
    { code: 'CARN-FANCY-RED', name: 'Carnation fancy red', kind: 'LIVE', unit: 'STEM', defaultBoxType: 'HB', defaultUnitsPerBox: 500 },
    { code: 'CARN-SELECT-PINK', name: 'Carnation select pink', kind: 'LIVE', unit: 'STEM', defaultBoxType: 'HB', defaultUnitsPerBox: 500 },
    { code: 'HYDRANGEA-WHITE-SELECT', name: 'Hydrangea white select', kind: 'LIVE', unit: 'STEM', defaultBoxType: 'HB', defaultUnitsPerBox: 35 },
    { code: 'HYDRANGEA-BLUE-PREMIUM', name: 'Hydrangea blue premium', kind: 'LIVE', unit: 'STEM', defaultBoxType: 'HB', defaultUnitsPerBox: 30 },
    { code: 'GYPSO-XLENCE-750G', name: 'Gypsophila Xlence 750 g bunch', kind: 'LIVE', unit: 'BUNCH', defaultBoxType: 'HB', defaultUnitsPerBox: 25 },
    { code: 'VASE-GLASS-20CM', name: 'Glass vase 20cm', kind: 'HARD', unit: 'EACH', defaultBoxType: 'FB', defaultUnitsPerBox: 12 },
    { code: 'SLEEVE-CLEAR-50CM', name: 'Clear bouquet sleeve 50cm', kind: 'HARD', unit: 'EACH', defaultBoxType: 'FB', defaultUnitsPerBox: 500 },
    { code: 'FLOWER-FOOD-10G', name: 'Flower food sachet 10 g', kind: 'HARD', unit: 'EACH', defaultBoxType: 'FB', defaultUnitsPerBox: 1000 },
    { code: 'BQT-VALENTINE-DOZEN', name: 'Valentine dozen red roses bouquet', kind: 'FINISHED', unit: 'EACH', defaultBoxType: 'FB', defaultUnitsPerBox: 8 },
    { code: 'BQT-SPRING-MIX', name: 'Spring mix bouquet', kind: 'FINISHED', unit: 'EACH', defaultBoxType: 'FB', defaultUnitsPerBox: 10 },
    { code: 'BQT-WHITE-ELEGANCE', name: 'White elegance bouquet with vase', kind: 'FINISHED', unit: 'EACH', defaultBoxType: 'FB', defaultUnitsPerBox: 6 },
  ],
  customers: [
    {
      code: 'FRESHMART',
      name: 'FreshMart Supermarkets',
      billingAddress: 'FreshMart Supermarkets, Accounts Payable\n1200 Peachtree St NE\nAtlanta, GA 30309',
      paymentTermsDays: 30,
      shipTos: [
        { code: 'DC-ATL', name: 'Atlanta distribution center', address: '4500 Fulton Industrial Blvd SW\nAtlanta, GA 30336' },
        { code: 'DC-ORL', name: 'Orlando distribution center', address: '9800 Presidents Dr\nOrlando, FL 32809' },
      ],
    },
    {
      code: 'GREENGROCER',
      name: 'GreenGrocer Markets',
      billingAddress: '77 Route 1\nEdison, NJ 08817',
      paymentTermsDays: 21,
      shipTos: [{ code: 'DC-NJ', name: 'Edison NJ distribution center', address: '300 Raritan Center Pkwy\nEdison, NJ 08837' }],
    },
    { code: 'BLOOMS-NYC', name: 'Blooms of Manhattan (florist)', billingAddress: '212 W 28th St\nNew York, NY 10001', paymentTermsDays: 15, shipTos: [] },
    { code: 'PETALS-MIAMI', name: 'Petals & Stems Miami (florist)', billingAddress: '1450 Coral Way\nMiami, FL 33145', paymentTermsDays: 15, shipTos: [] },
    {
      code: 'BOUQUETWORKS',
      name: 'Bouquet Works (production: receives components at 0.00)',
      kind: 'PRODUCTION',
      billingAddress: '2100 NW 84th Ave\nDoral, FL 33122',
      paymentTermsDays: 30,
      shipTos: [],
    },
  ],
};

export type DemoCatalogue = typeof DEMO_CATALOGUE;
export type DemoSeedOutcome = { seeded: true; counts: Record<string, number> } | { seeded: false; reason: string };

/** Master data and documents: the catalogue is seeded only when every one of these tables is empty (box types and settings come with the migrations). */
const USER_TABLES = ['location', 'carrier', 'vendor', 'product', 'customer', 'prebook', 'standing_order', 'purchase_order', 'invoice'];

/**
 * Seeds the demo catalogue when the database holds no master data and no documents, all in one
 * transaction: a failure leaves the database empty, never half a catalogue. Several server processes
 * may start at once on one database: a transaction-scoped advisory lock lets one seed, and the others
 * wait for its commit, find the data and skip.
 */
export async function seedDemoCatalogue(orm: MikroORM, logger: Logger, catalogue: DemoCatalogue = DEMO_CATALOGUE): Promise<DemoSeedOutcome> {
  return orm.em.fork().transactional(async (em) => {
    await em.execute(`select pg_advisory_xact_lock(hashtext('stemline:demo-catalogue'))`);
    const [{ n }] = await em.execute<{ n: string }[]>(`select ${USER_TABLES.map((table) => `(select count(*) from "${table}")`).join(' + ')} as n`);
    if (Number(n) > 0) return { seeded: false as const, reason: 'the database already holds data' };

    const ctx: RequestContext = {
      // Each service's inTransaction becomes a savepoint of this transaction.
      em: em as EntityManager,
      actor: { tokenId: null, name: 'demo data', role: 'ADMIN', customerId: null },
      logger,
      requestId: crypto.randomUUID(),
      loaders: createLoaders(em as EntityManager, prebookLineQuantities),
    };
    const counts: Record<string, number> = {};
    const check = (what: string, result: { errors: Array<{ message: string; row?: number | null; field?: string | null }>; nodes?: unknown[] }) => {
      if (result.errors.length)
        throw new Error(`demo ${what}: ${result.errors.map((e) => `${e.row ? `row ${e.row} ` : ''}${e.field ? `${e.field}: ` : ''}${e.message}`).join('; ')}`);
      if (result.nodes) counts[what] = result.nodes.length;
    };
    check('locations', await upsertLocations(ctx, catalogue.locations));
    check('carriers', await upsertCarriers(ctx, catalogue.carriers));
    check('vendors', await upsertVendors(ctx, catalogue.vendors));
    check('products', await upsertProducts(ctx, catalogue.products));
    check('customers', await upsertCustomers(ctx, catalogue.customers));
    check(
      'settings',
      await updateSettings(ctx, {
        autoBilling: 'ON_MANUAL_CONFIRMATION',
        consolidateOpenMarket: true,
        targetGpm: '30',
        companyName: 'Stemline Demo Flowers, Inc.',
        companyAddress: '8200 NW 25th Street\nDoral, FL 33122\nUSA',
        companyPhone: '+1 305 555 0142',
        companyTaxId: 'EIN 59-1234567',
      }),
    );
    return { seeded: true as const, counts };
  });
}
