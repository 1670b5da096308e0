import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executePrepared } from '../../../server/src/common/prepared-statement.repository';
import { startTestServer, type TestServer } from '../../support/test-server';

describe('executePrepared', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await t.orm.em.getConnection().execute('create table prepared_probe (id int primary key, note text)');
  });
  afterAll(() => t.close());

  it('runs a statement prepared once per connection, in the transaction of the entity manager, and returns its rows', async () => {
    await t.orm.em
      .fork()
      .transactional(async (em) => {
        const sql = 'select ?::int + 1 as n, ?::text as note';
        expect(await executePrepared(em as EntityManager, sql, [41, 'what? ?? $1'])).toEqual([{ n: 42, note: 'what? ?? $1' }]);
        expect(await executePrepared(em as EntityManager, sql, [1, "O'Brien"])).toEqual([{ n: 2, note: "O'Brien" }]);
        const prepared = await em.execute<Array<{ statement: string }>>(`select statement from pg_prepared_statements where name like 'stemline_%'`);
        expect(prepared.map((p) => p.statement)).toContain('select $1::int + 1 as n, $2::text as note');
        // In the transaction: what it writes is seen by the transaction and rolled back with it.
        await executePrepared(em as EntityManager, 'insert into prepared_probe (id, note) values (?, ?)', [1, 'rolled back']);
        expect(await em.execute('select note from prepared_probe')).toEqual([{ note: 'rolled back' }]);
        throw new Error('roll back');
      })
      .catch((error: Error) => expect(error.message).toBe('roll back'));
    expect(await t.orm.em.getConnection().execute('select count(*)::int as n from prepared_probe')).toEqual([{ n: 0 }]);
  });

  it('is logged as the ORM logs its statements (statement counts, STEMLINE_SQL_LOG)', async () => {
    const logger = t.orm.config.getLogger();
    const logQuery = logger.logQuery;
    const logged: string[] = [];
    logger.logQuery = (context) => {
      logged.push(String(context.query));
      return logQuery.call(logger, context);
    };
    try {
      await executePrepared(t.orm.em.fork(), 'select ?::int as n', [7]);
    } finally {
      logger.logQuery = logQuery;
    }
    expect(logged).toEqual(['select ?::int as n']);
  });

  it('outside a transaction, gives each pooled connection back: more statements at once than the pool holds all answer', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => executePrepared<{ n: number }>(t.orm.em.fork(), 'select ?::int * 2 as n', [i])));
    expect(answers.map(([row]) => row.n)).toEqual(Array.from({ length: 40 }, (_, i) => i * 2));
  });

  it("fails as em.execute fails: with MikroORM's exception for the error", async () => {
    const em = t.orm.em.fork();
    await executePrepared(em, 'insert into prepared_probe (id, note) values (?, ?)', [5, 'first']);
    await expect(executePrepared(em, 'insert into prepared_probe (id, note) values (?, ?)', [5, 'again'])).rejects.toBeInstanceOf(
      UniqueConstraintViolationException,
    );
  });
});
