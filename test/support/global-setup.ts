// One embedded PostgreSQL cluster for the whole run, with a migrated template
// database; every test file clones its own database from it (test-server.ts).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDatabaseIfMissing, startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/src/db/embedded-postgres';
import { initOrm, migrate } from '../../server/src/db/orm';

export const TEMPLATE_DATABASE = 'stemline_template';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    templateDatabase: string;
  }
}

let cluster: EmbeddedDatabase | undefined;
let dataDir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stemline-test-pg-'));
  try {
    const port = process.env.STEMLINE_PG_PORT ? Number(process.env.STEMLINE_PG_PORT) : undefined;
    cluster = await startEmbeddedPostgres({ dataDir, persistent: false, database: 'postgres', port });
  } catch (error) {
    // Said plainly before vitest's own report of a failed global setup, which may show only a stack.
    process.stderr.write(`\nThe tests need an embedded PostgreSQL, which did not start:\n${error instanceof Error ? error.message : String(error)}\n\n`);
    await fs.rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  await createDatabaseIfMissing(cluster.adminUrl, TEMPLATE_DATABASE);
  const templateUrl = cluster.adminUrl.replace(/\/postgres$/, `/${TEMPLATE_DATABASE}`);
  const orm = await initOrm(templateUrl, { debug: false });
  try {
    await migrate(orm);
  } finally {
    await orm.close();
  }
  project.provide('pgAdminUrl', cluster.adminUrl);
  project.provide('templateDatabase', TEMPLATE_DATABASE);
}

export async function teardown(): Promise<void> {
  await cluster?.stop();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
}
