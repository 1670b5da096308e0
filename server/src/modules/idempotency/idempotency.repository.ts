// The SQL of idempotency records.
import type { EntityManager } from '@mikro-orm/postgresql';

/** Inserts the record of a key unless it exists: returns the key when this call inserted it, nothing otherwise. */
export async function insertIdempotencyRecord(em: EntityManager, key: string, operation: string, hash: string): Promise<Array<{ key: string }>> {
  return em.execute<{ key: string }[]>(
    `insert into idempotency_record (key, operation, request_hash, response, actor, created_at) values (?, ?, ?, 'null', '', now()) on conflict (key) do nothing returning key`,
    [key, operation, hash],
  );
}

/** Stores the response (JSON text) and who got it under a claimed key. */
export async function updateIdempotentResponse(em: EntityManager, key: string, response: string, actor: string): Promise<void> {
  await em.execute(`update idempotency_record set response = ?, actor = ? where key = ?`, [response, actor, key]);
}
