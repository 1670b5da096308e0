// The SQL of API tokens.
import type { EntityManager } from '@mikro-orm/postgresql';
import { executePrepared } from '../../common/prepared-statement.repository';
import type { Role } from '../../common/request-context';

/** Serializes the creation of the first ADMIN token across processes, until the transaction ends. */
export async function lockInitialAdminToken(em: EntityManager): Promise<void> {
  await em.execute(`select pg_advisory_xact_lock(hashtext('stemline:initial-admin-token'))`);
}

/** Failures in the window: this minute's and the last minute's. */
const WINDOW = `minute >= date_trunc('minute', now()) - interval '1 minute'`;

/**
 * The live (not revoked) token of a secret's hash, as the caller it stands for, and the failed
 * authentications of the presented token's prefix in the window: one plain statement, as every request
 * makes it before anything else (an ORM find cost three times as much CPU).
 */
export async function selectLiveToken(
  em: EntityManager,
  secretHash: string,
  prefix: string,
): Promise<{ token: { id: number; name: string; role: Role; customerId: number | null } | null; prefixFailures: number }> {
  const rows = await executePrepared<{ id: number | null; name: string; role: Role; customer_id: number | null; prefix_failures: number }>(
    em,
    `select t.id, t.name, t.role, t.customer_id,
            (select coalesce(sum(count), 0)::int from auth_failure where scope = 'TOKEN' and key = ? and ${WINDOW}) as prefix_failures
       from (select 1) one left join api_token t on t.secret_hash = ? and t.revoked_at is null`,
    [prefix, secretHash],
  );
  const row = rows[0];
  return {
    token: row?.id != null ? { id: row.id, name: row.name, role: row.role, customerId: row.customer_id } : null,
    prefixFailures: row?.prefix_failures ?? 0,
  };
}

/**
 * Records a failed authentication from `address` with a token starting `prefix`, and returns the failures
 * of each in the window, this one included. Deletes some rows past the window on the way.
 */
export async function recordAuthFailure(em: EntityManager, address: string, prefix: string): Promise<{ address: number; prefix: number }> {
  const rows = await em.execute<Array<{ scope: 'ADDRESS' | 'TOKEN'; failures: number }>>(
    `with counted as (
       insert into auth_failure (scope, key, minute, count)
       values ('ADDRESS', ?, date_trunc('minute', now()), 1), ('TOKEN', ?, date_trunc('minute', now()), 1)
       on conflict (scope, key, minute) do update set count = auth_failure.count + 1
       returning scope, key, count
     ),
     before as (
       select scope, key, sum(count) as n from auth_failure
        where ((scope = 'ADDRESS' and key = ?) or (scope = 'TOKEN' and key = ?)) and minute = date_trunc('minute', now()) - interval '1 minute'
        group by scope, key
     ),
     swept as (delete from auth_failure where ctid in (select ctid from auth_failure where minute < now() - interval '10 minutes' limit 100))
     select c.scope, (c.count + coalesce(b.n, 0))::int as failures from counted c left join before b using (scope, key)`,
    [address, prefix, address, prefix],
  );
  const of = (scope: string) => rows.find((row) => row.scope === scope)?.failures ?? 0;
  return { address: of('ADDRESS'), prefix: of('TOKEN') };
}
