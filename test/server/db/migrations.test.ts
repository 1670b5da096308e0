import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { initOrm } from '../../../server/src/db/orm';
import { migrationsList } from '../../../server/src/db/migrations';
import { createTestDatabase } from '../../support/test-server';

describe('migrations', () => {
  let orm: MikroORM;
  beforeAll(async () => {
    orm = await initOrm(await createTestDatabase());
  });
  afterAll(() => orm.close());

  it('are all applied to a migrated database', async () => {
    const migrator = orm.getMigrator();
    expect(await migrator.getPendingMigrations()).toEqual([]);
    const executed = (await migrator.getExecutedMigrations()).map((m) => m.name);
    expect(executed).toEqual(migrationsList.map((m) => m.name));
  });

  it('match the entities exactly (run npm run migration:create when this fails)', async () => {
    const diff = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
  });
});
