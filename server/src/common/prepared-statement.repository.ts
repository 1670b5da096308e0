// How repositories run a statement as a named prepared statement: PostgreSQL parses and plans its text once
// per connection instead of on every call. For the fixed statements of hot paths (a scan runs a dozen):
// planning the box read of a scan, seven joins, cost four times its execution.
import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

/** A pg client connection, as knex hands it out. */
interface PgConnection {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/** A knex client: the pool's (outside a transaction) or the transaction's, which always hands out its one connection. */
interface KnexClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<unknown>;
}

/** What this needs of MikroORM's connection: its logged execution (statement counts, STEMLINE_SQL_LOG) and its knex. */
interface LoggedConnection {
  executeQuery<T>(query: string, run: () => Promise<T>, context?: Record<string, unknown>): Promise<T>;
  getKnex(): { client: KnexClient };
}

interface Statement {
  name: string;
  /** The text with PostgreSQL's $1, $2… for the `?` parameters. */
  text: string;
}

const statements = new Map<string, Statement>();

/** One name per statement text, the same in every process, and its text as PostgreSQL takes it, `?` numbered as knex numbers them. */
function statementOf(sql: string): Statement {
  let statement = statements.get(sql);
  if (!statement) {
    let count = 0;
    statement = {
      name: `stemline_${crypto.createHash('sha1').update(sql).digest('hex').slice(0, 20)}`,
      text: sql.replace(/(\\*)\?/g, (_match, escapes: string) => (escapes.length % 2 ? '?' : `$${++count}`)),
    };
    statements.set(sql, statement);
  }
  return statement;
}

/**
 * Runs `sql` (its text fixed: one prepared statement per text and connection, kept for the connection's
 * life) with `?` parameters in the entity manager's transaction, and returns its rows; errors come as
 * MikroORM's exceptions, as from em.execute. It hands the statement to the connection's pg client itself:
 * through knex's raw builder, a scan's dozen statements cost more in the server than in PostgreSQL.
 */
export async function executePrepared<T>(em: EntityManager, sql: string, params: readonly unknown[]): Promise<T[]> {
  const connection = em.getConnection() as unknown as LoggedConnection;
  const transaction = em.getTransactionContext<{ client: KnexClient }>();
  const statement = statementOf(sql);
  const values = [...params];
  try {
    return await connection.executeQuery(
      sql,
      async () => {
        const client = transaction ? transaction.client : connection.getKnex().client;
        const pg = await client.acquireConnection();
        try {
          return (await pg.query({ name: statement.name, text: statement.text, values })).rows as T[];
        } finally {
          if (!transaction) await client.releaseConnection(pg);
        }
      },
      { query: sql, params: values },
    );
  } catch (error) {
    throw em.getDriver().convertException(error as Error);
  }
}
