import type { LogContext } from '@mikro-orm/core';
import type { GraphQLResult, TestServer } from './test-server';

/*
 * Counts the SQL statements of one request. Every statement the server sends, ORM queries and raw
 * `em.execute` alike, passes through MikroORM's logger (`Connection.logQuery`); the counter wraps it
 * and records what is logged while one request is in flight. Requests run one at a time and the test
 * server does no background work, so those are the request's own.
 */
export interface Measured {
  data: Record<string, any>;
  statements: string[];
}

export function statementCounter(t: TestServer) {
  const logger = t.orm.config.getLogger();
  const logQuery = logger.logQuery;
  let recording: string[] | null = null;
  logger.logQuery = (context: LogContext) => {
    recording?.push(String(context.query));
    return logQuery.call(logger, context);
  };
  return {
    async measure(query: string, variables: Record<string, unknown>): Promise<Measured> {
      if (recording) throw new Error('one measured request at a time');
      const statements: string[] = [];
      recording = statements;
      let result: GraphQLResult;
      try {
        result = await t.gql(query, variables);
      } finally {
        recording = null;
      }
      if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
      return { data: result.data, statements };
    },
    restore() {
      logger.logQuery = logQuery;
    },
  };
}

/** A statement's shape: the same whatever the number of values in its `in (?, ?, ...)` lists. */
export function statementShape(sql: string): string {
  return sql
    .replace(/\(\?(?:, ?\?)*\)/g, '(?...)')
    .replace(/\s+/g, ' ')
    .trim();
}
