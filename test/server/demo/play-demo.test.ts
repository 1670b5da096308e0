// npm run demo against a server with the demo catalogue: it runs, says what happened, and the
// invoices it made are right. Twice, to show it can be replayed.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CATALOGUE, seedDemoCatalogue } from '../../../server/src/demo/demo-catalogue';
import { createLogger } from '../../../server/src/logger';
import { startTestServer, type TestServer } from '../../support/test-server';

const run = promisify(execFile);

describe('demo data and npm run demo', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('seeds the catalogue on an empty database once, and never over data', async () => {
    const logger = createLogger('silent');
    const first = await seedDemoCatalogue(t.orm, logger);
    expect(first).toEqual({ seeded: true, counts: { locations: 2, carriers: 3, vendors: 5, products: 20, customers: 5 } });
    expect(await seedDemoCatalogue(t.orm, logger)).toEqual({ seeded: false, reason: 'the database already holds data' });
    const data = await t.ok(`{ products { nodes { kind } } settings { autoBilling } customers { nodes { code shipTos { code } } } }`);
    expect(new Set(data.products.nodes.map((p: any) => p.kind))).toEqual(new Set(['LIVE', 'HARD', 'FINISHED']));
    expect(data.settings.autoBilling).toBe('ON_MANUAL_CONFIRMATION');
    expect(data.customers.nodes.map((c: any) => c.code).sort()).toEqual(DEMO_CATALOGUE.customers.map((c) => c.code).sort());
  });

  it('plays the production flow and prints each step, the invoices and the GPM', async () => {
    for (const attempt of [1, 2]) {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'server/src/demo/play-demo.ts', '--server', t.url, '--token', t.adminToken], { timeout: 120_000 });
      for (const step of ['1. Prebooks', '2. Standalone POs', '3. The farm', '4. The components', '5. The finished-goods PO', '6. Bouquet Works ships', '7. Blooms agrees', 'GPM report']) {
        expect(stdout, `run ${attempt}`).toContain(step);
      }
      expect(stdout).toMatch(/\d+ boxes confirmed, 60 billed on 2 consolidated invoice\(s\), 0 billing issue\(s\)/);
    }
    // 400 bouquets at 8.99 = 3,596.00, cost 400 x 6.04 = 2,416.00 (12 x 0.37 roses + 0.08 + 0.02 + 1.50): GPM 32.81 %.
    const data = await t.ok(`{ invoices(filter: { customer: "FRESHMART" }) { nodes { total cost gpmPercent pricePending } } blooms: invoices(filter: { customer: "BLOOMS-NYC" }) { nodes { total gpmPercent } } }`);
    expect(data.invoices.nodes).toEqual([
      { total: '3596.00', cost: '2416.00', gpmPercent: '32.81', pricePending: false },
      { total: '3596.00', cost: '2416.00', gpmPercent: '32.81', pricePending: false },
    ]);
    expect(data.blooms.nodes).toEqual([
      { total: '759.20', gpmPercent: '36.35' },
      { total: '759.20', gpmPercent: '36.35' },
    ]);
  }, 240_000);

  it('says how to start the server when none answers', async () => {
    const failed = await run(process.execPath, ['--import', 'tsx', 'server/src/demo/play-demo.ts', '--server', 'http://127.0.0.1:9', '--token', 'x']).catch((e) => e);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('Start it with npm start');
  });
});
