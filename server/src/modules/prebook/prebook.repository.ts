// The SQL of prebooks and their lines.
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgIntArray } from '../../common/loaders';

/** Locks prebook lines in id order: billing (or buying) of one line is serialized across processes. */
export async function lockPrebookLines(em: EntityManager, ids: number[]): Promise<void> {
  await em.execute(`select id from prebook_line where id = any(?::int[]) order by id for update`, [pgIntArray(ids)]);
}
