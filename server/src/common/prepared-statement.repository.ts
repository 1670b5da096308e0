// How repositories run a statement as a named prepared statement: PostgreSQL parses and plans its text once
// per connection instead of on every call. For the fixed statements of hot paths (a scan runs a dozen):
// planning the box read of a scan, seven joins, cost four times its execution.
import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

interface KnexRaw extends PromiseLike<{ rows: unknown[] }> {
  options(options: { name: string }): KnexRaw;
  transacting(transaction: unknown): KnexRaw;
}

/** What this needs of MikroORM's connection: its logged execution (statement counts, STEMLINE_SQL_LOG) and its knex. */
interface LoggedConnection {
  executeQuery<T>(query: string, run: () => Promise<T>, context?: Record<string, unknown>): Promise<T>;
  getKnex(): { raw(sql: string, bindings: readonly unknown[]): KnexRaw };
}

const names = new Map<string, string>();

/** One name per statement text, the same in every process. */
function statementName(sql: string): string {
  let name = names.get(sql);
  if (!name) {
    name = `stemline_${crypto.createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    names.set(sql, name);
  }
  return name;
}

/**
 * Runs `sql` (its text fixed: one prepared statement per text and connection, kept for the connection's
 * life) with `?` parameters in the entity manager's transaction, and returns its rows; errors come as
 * MikroORM's exceptions, as from em.execute.
 */
export async function executePrepared<T>(em: EntityManager, sql: string, params: readonly unknown[]): Promise<T[]> {
  const connection = em.getConnection() as unknown as LoggedConnection;
  const transaction = em.getTransactionContext();
  try {
    return await connection.executeQuery(
      sql,
      async () => {
        let query = connection
          .getKnex()
          .raw(sql, params)
          .options({ name: statementName(sql) });
        if (transaction) query = query.transacting(transaction);
        return (await query).rows as T[];
      },
      { query: sql, params: [...params] },
    );
  } catch (error) {
    throw em.getDriver().convertException(error as Error);
  }
}
