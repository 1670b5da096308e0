import crypto from 'node:crypto';
import { inject } from 'vitest';
import { createDatabaseIfMissing } from '../../server/src/db/embedded-postgres';
import { initOrm } from '../../server/src/db/orm';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createLogger, type Logger } from '../../server/src/logger';
import { ensureInitialAdminToken } from '../../server/src/modules/auth/auth.service';
import { listen, type RunningServer } from '../../server/src/server';

/** Accepted as ADMIN by servers started on an existing database (they cannot print the first token again). */
export const TEST_ADMIN_TOKEN = 'test-admin-token';

export interface GraphQLResult<T = Record<string, any>> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

export interface TestServer {
  url: string;
  databaseUrl: string;
  orm: MikroORM;
  server: RunningServer;
  /** The database's first ADMIN token, as `npm start` creates it. */
  adminToken: string;
  /** POSTs a GraphQL request over HTTP, as any API client would. */
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GraphQLResult<T>>;
  /** Same, but fails the test on any GraphQL error and returns `data`. */
  ok<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<T>;
  close(): Promise<void>;
}

/** Clones the migrated template into a database of this test file's own. */
export async function createTestDatabase(): Promise<string> {
  const adminUrl = inject('pgAdminUrl');
  const name = `test_${crypto.randomBytes(6).toString('hex')}`;
  await createDatabaseIfMissing(adminUrl, name, inject('templateDatabase'));
  return adminUrl.replace(/\/postgres$/, `/${name}`);
}

/**
 * A server on a fresh database cloned from the template, or, with
 * `databaseUrl`, a second server process-alike on an existing one (its own
 * ORM and connection pool), to test what several servers do to one database.
 */
export async function startTestServer(
  options: {
    adminToken?: string;
    production?: boolean;
    debugErrors?: boolean;
    staticDir?: string;
    graphiqlDir?: string;
    databaseUrl?: string;
    logger?: Logger;
    authFailuresPerMinute?: number;
    trustedProxies?: string[];
  } = {},
): Promise<TestServer> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const orm = await initOrm(databaseUrl);
  const logger = options.logger ?? createLogger('silent');
  const adminToken = (await ensureInitialAdminToken(orm.em)) ?? options.adminToken ?? TEST_ADMIN_TOKEN;
  const server = await listen({
    orm,
    logger,
    port: 0,
    host: '127.0.0.1',
    adminToken: options.adminToken ?? (options.databaseUrl ? TEST_ADMIN_TOKEN : undefined),
    production: options.production,
    debugErrors: options.debugErrors,
    // Tests make hundreds of deliberate failed authentications from 127.0.0.1; the throttle has its own test.
    authFailuresPerMinute: options.authFailuresPerMinute ?? 1_000_000,
    trustedProxies: options.trustedProxies,
    staticDir: options.staticDir,
    graphiqlDir: options.graphiqlDir,
  });

  const gql = async <T>(query: string, variables?: Record<string, unknown>, token: string | null = adminToken): Promise<GraphQLResult<T>> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as Omit<GraphQLResult<T>, 'status'>;
    return { status: response.status, ...body };
  };

  return {
    url: server.url,
    databaseUrl,
    orm,
    server,
    adminToken,
    gql,
    async ok<T>(query: string, variables?: Record<string, unknown>, token?: string | null) {
      const result = await gql<T>(query, variables, token);
      if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
      return result.data;
    },
    async close() {
      await server.close();
      await orm.close();
    },
  };
}

/** Direct SQL against a test database, for checking what was (not) written. */
export async function countRows(orm: MikroORM, table: string): Promise<number> {
  const [row] = await orm.em.getConnection().execute<{ count: string }[]>(`select count(*)::int as count from "${table}"`);
  return Number(row.count);
}
