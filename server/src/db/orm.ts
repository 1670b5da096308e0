import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './entities';
import { migrationsList } from './migrations';

export const MIGRATIONS_PATH = 'server/src/db/migrations';

export function ormOptions(clientUrl: string, overrides: Partial<Options> = {}): Options {
  return {
    clientUrl,
    entities,
    extensions: [Migrator],
    forceUtcTimezone: true,
    allowGlobalContext: false,
    pool: { min: 0, max: 10 },
    // STEMLINE_SQL_LOG=1 prints every statement with its duration (for profiling; noisy).
    ...(process.env.STEMLINE_SQL_LOG ? { debug: ['query', 'query-params'] as const, logger: (message: string) => process.stderr.write(`${message}\n`) } : {}),
    migrations: {
      path: MIGRATIONS_PATH,
      pathTs: MIGRATIONS_PATH,
      emit: 'ts',
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      silent: true,
      migrationsList,
    },
    ...overrides,
  };
}

export function initOrm(clientUrl: string, overrides: Partial<Options> = {}): Promise<MikroORM> {
  return MikroORM.init(ormOptions(clientUrl, overrides));
}

export async function migrate(orm: MikroORM): Promise<void> {
  await orm.getMigrator().up();
}
