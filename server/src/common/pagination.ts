import type { EntityName, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { genericOrderBy, genericPopulate } from './entity-query';
import { badRequest } from './graphql-errors';
import { textProblem } from './text-input';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;
/** Ids and offsets are PostgreSQL integers. */
const MAX_INT = 2 ** 31 - 1;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Connection<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badRequest(`first must be between 0 and ${MAX_PAGE_SIZE}`);
  }
  return first;
}

/** The key a cursor holds, checked against the list's key: an id is a whole number, a code is text (forged cursors are refused here, not by the database). */
function decodeCursor(after: string, key: 'code' | 'id'): string | number {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (key === 'id' && typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_INT) return value;
  if (key === 'code' && typeof value === 'string' && value.length <= 200 && !textProblem(value)) return value;
  throw badRequest('after is not a cursor returned by this list: pass pageInfo.endCursor of the page before');
}

function encodeCursor(value: string | number): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/**
 * Keyset pagination on a unique, ordered key (`code` for master data, `id` for
 * documents): stable while rows are inserted, no OFFSET scans.
 */
export async function paginate<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  args: PageArgs,
  options: { key: 'code' | 'id'; direction?: 'asc' | 'desc'; populate?: string[] },
): Promise<Connection<T>> {
  const limit = pageSize(args.first);
  const direction = options.direction ?? 'asc';
  const key = options.key;
  const conditions: object[] = [where as object];
  if (args.after) {
    conditions.push({ [key]: { [direction === 'asc' ? '$gt' : '$lt']: decodeCursor(args.after, key) } });
  }
  const filter = { $and: conditions } as FilterQuery<T>;
  const orderBy = genericOrderBy<T>({ [key]: direction });
  const populate = genericPopulate<T>(options.populate ?? []);
  // With relations to populate, the page's keys are read alone first, then its rows with their relations
  // by those keys: joined into one query under a limit, PostgreSQL joined every row of the table before
  // keeping the page's (a cost that grew with history).
  // Both awaited together: a count left running alone would reject unheard when the page's query fails.
  const [page, totalCount] = await Promise.all([em.find(entity, filter, { orderBy, limit: limit + 1 }), em.count(entity, where)]);
  let rows: T[] = page;
  if ((options.populate ?? []).length > 0 && rows.length > 0) {
    const keys = rows.map((row) => (row as Record<string, unknown>)[key]);
    rows = await em.find(entity, { [key]: { $in: keys } } as FilterQuery<T>, { orderBy, populate });
  }
  const nodes = rows.slice(0, limit);
  const last = nodes[nodes.length - 1] as Record<string, unknown> | undefined;
  return {
    nodes,
    totalCount,
    pageInfo: {
      hasNextPage: rows.length > limit,
      endCursor: last ? encodeCursor(last[key] as string | number) : null,
    },
  };
}

/** `text` matches code or name anywhere, case-insensitive; LIKE wildcards in it are literal. */
export function textFilter(text: string | null | undefined): object {
  const trimmed = text?.trim();
  if (!trimmed) return {};
  const pattern = `%${trimmed.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return { $or: [{ code: { $ilike: pattern } }, { name: { $ilike: pattern } }] };
}

/** Offset paging for computed lists (purchase needs) that have no single stable key. */
export function offsetPage(args: PageArgs): { limit: number; offset: number } {
  const limit = pageSize(args.first);
  const offset = args.after ? (decodeCursor(args.after, 'id') as number) : 0;
  return { limit, offset };
}

export function offsetConnection<T>(nodes: T[], totalCount: number, offset: number): Connection<T> {
  const end = offset + nodes.length;
  return { nodes, totalCount, pageInfo: { hasNextPage: end < totalCount, endCursor: nodes.length ? encodeCursor(end) : null } };
}
