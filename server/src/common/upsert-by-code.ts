import type { EntityName } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { LoadStrategy, LockMode } from '@mikro-orm/core';
import type { RequestContext } from './request-context';
import { normalizeCode, RowValidator } from './row-validator';
import { inTransaction } from './transaction';
import { userError, type UserError } from './user-error';
import type { RecordAudit } from './write-journal';

export const MAX_UPSERT_ITEMS = 10_000;

export interface UpsertResult<E> {
  nodes: E[];
  errors: UserError[];
}

/** What one kind of master data adds to the shared upsert-by-code flow. */
export interface UpsertSpec<I extends { code: string }, E extends { id: number; code: string }, P, C> {
  entity: EntityName<E>;
  /** Name written to the audit trail. */
  auditEntity: string;
  /** Writes the audit trail (modules/audit's recordAudit). */
  recordAudit: RecordAudit;
  /** Relations returned populated. */
  populate?: string[];
  /** Loads, for the whole list at once, what validation needs (referenced records). */
  prepare(em: EntityManager, items: I[]): Promise<P>;
  /**
   * Checks one item (`existing` is the stored record with that code, if any)
   * and returns its cleaned values: trimmed, normalized, references resolved.
   */
  validate(v: RowValidator, item: I, existing: E | undefined, prepared: P): C;
  /** Creates or updates the record from the cleaned values of a valid item. */
  apply(em: EntityManager, code: string, values: C, existing: E | undefined): E;
}

export function tooManyItems(count: number): UserError[] {
  return count > MAX_UPSERT_ITEMS ? [userError('TOO_MANY_ITEMS', `A call takes at most ${MAX_UPSERT_ITEMS} items; this one has ${count}. Split it.`)] : [];
}

/**
 * The shared create-or-update-by-code flow of every master-data list: validate
 * every item first (codes, duplicates in the list, references, values) and
 * write nothing when any item is wrong; otherwise write all items and one
 * audit event each, in one transaction. Existing rows are locked so two
 * concurrent upserts of one code apply one after the other.
 */
export async function upsertByCode<I extends { code: string }, E extends { id: number; code: string }, P, C>(
  ctx: RequestContext,
  spec: UpsertSpec<I, E, P, C>,
  items: I[],
): Promise<UpsertResult<E>> {
  const limitErrors = tooManyItems(items.length);
  if (limitErrors.length) return { nodes: [], errors: limitErrors };

  return inTransaction(ctx, async (em) => {
    const codes = items.map((item) => normalizeCode(item.code ?? ''));
    const existingRows = await em.find(spec.entity, { code: { $in: codes.filter(Boolean) } } as never, {
      lockMode: LockMode.PESSIMISTIC_WRITE,
      strategy: LoadStrategy.SELECT_IN,
      populate: (spec.populate ?? []) as never,
    });
    const existingByCode = new Map(existingRows.map((row) => [row.code, row]));
    const prepared = await spec.prepare(em, items);

    const errors: UserError[] = [];
    const cleaned: C[] = [];
    const firstRowOfCode = new Map<string, number>();
    items.forEach((item, index) => {
      const v = new RowValidator(index + 1);
      const code = v.code('code', item.code);
      if (code !== undefined) {
        const first = firstRowOfCode.get(code);
        if (first !== undefined) v.fail('DUPLICATE_CODE', 'code', `code ${code} is already used by row ${first} of this list`);
        else firstRowOfCode.set(code, index + 1);
        cleaned.push(spec.validate(v, item, existingByCode.get(code), prepared));
      }
      errors.push(...v.errors);
    });
    if (errors.length) return { nodes: [], errors };

    const nodes = items.map((_, index) => spec.apply(em, codes[index], cleaned[index], existingByCode.get(codes[index])));
    await em.flush();
    items.forEach((item, index) => {
      const action = existingByCode.has(codes[index]) ? 'update' : 'create';
      spec.recordAudit(em, ctx.actor, action, spec.auditEntity, nodes[index].id, item);
    });
    await em.flush();
    return { nodes, errors: [] };
  });
}

/** Copies the values that were given (not undefined) onto the entity: left-out fields keep their stored value. */
export function assignDefined<E extends object>(entity: E, values: Partial<E>): E {
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) (entity as Record<string, unknown>)[key] = value;
  }
  return entity;
}
