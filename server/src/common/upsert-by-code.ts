import type { EntityName } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { LoadStrategy, LockMode } from '@mikro-orm/core';
import { genericPopulate, genericWhere } from './entity-query';
import type { RequestContext } from './request-context';
import { normalizeCode, RowValidator } from './row-validator';
import { inTransaction } from './transaction';
import { userError, type UserError } from './user-error';
import type { RecordAudit } from './write-journal';

export const MAX_UPSERT_ITEMS = 10_000;

/** One valid item of a list, as checkList sees it. */
export interface UpsertRow<I, E, C> {
  v: RowValidator;
  item: I;
  code: string;
  values: C;
  existing: E | undefined;
}

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
  /** Checks what concerns several items together (a cycle of recipes), once every item is valid on its own. */
  checkList?(em: EntityManager, rows: Array<UpsertRow<I, E, C>>, prepared: P): Promise<void>;
  /** Creates or updates the record from the cleaned values of a valid item. */
  apply(em: EntityManager, code: string, values: C, existing: E | undefined): E;
  /**
   * Sets what refers to other items of the same list (a recipe's new components), once every item of
   * the list is inserted and has its id.
   */
  link?(em: EntityManager, node: E, values: C, byCode: ReadonlyMap<string, E>): void;
}

export function tooManyItems(count: number): UserError[] {
  return count > MAX_UPSERT_ITEMS ? [userError('TOO_MANY_ITEMS', `A call takes at most ${MAX_UPSERT_ITEMS} items; this one has ${count}. Split it.`)] : [];
}

/**
 * The shared create-or-update-by-code flow of every master-data list: validate
 * every item first (codes, duplicates in the list, references, values) and
 * write nothing when any item is wrong; otherwise write all items and one
 * audit event each, in one transaction. Items may refer to each other in any
 * order (spec.link). Existing rows are locked so two
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
    const existingRows = await em.find(spec.entity, genericWhere<E>({ code: { $in: codes.filter(Boolean) } }), {
      lockMode: LockMode.PESSIMISTIC_WRITE,
      strategy: LoadStrategy.SELECT_IN,
      populate: genericPopulate<E>(spec.populate ?? []),
    });
    const existingByCode = new Map(existingRows.map((row) => [row.code, row]));
    const prepared = await spec.prepare(em, items);

    const rows: Array<UpsertRow<I, E, C>> = [];
    const validators: RowValidator[] = [];
    const firstRowOfCode = new Map<string, number>();
    items.forEach((item, index) => {
      const v = new RowValidator(index + 1);
      validators.push(v);
      const code = v.code('code', item.code);
      if (code !== undefined) {
        const first = firstRowOfCode.get(code);
        if (first !== undefined) v.fail('DUPLICATE_CODE', 'code', `code ${code} is already used by row ${first} of this list`);
        else firstRowOfCode.set(code, index + 1);
        const existing = existingByCode.get(code);
        rows.push({ v, item, code, values: spec.validate(v, item, existing, prepared), existing });
      }
    });
    const errorsOf = () => validators.flatMap((v) => v.errors);
    if (errorsOf().length) return { nodes: [], errors: errorsOf() };
    await spec.checkList?.(em, rows, prepared);
    if (errorsOf().length) return { nodes: [], errors: errorsOf() };

    const nodes = rows.map((row) => spec.apply(em, row.code, row.values, row.existing));
    await em.flush();
    if (spec.link) {
      const byCode = new Map(nodes.map((node) => [node.code, node]));
      nodes.forEach((node, index) => spec.link!(em, node, rows[index].values, byCode));
    }
    items.forEach((item, index) => {
      const action = existingByCode.has(codes[index]) ? 'update' : 'create';
      spec.recordAudit(em, ctx.actor, action, spec.auditEntity, nodes[index].id, item);
    });
    await em.flush();
    return { nodes, errors: [] };
  });
}

/**
 * A value that validate() requires of a new record (`{ required: !existing }`): apply() creates a record only
 * for an item that passed validation, so it is there; a spec that forgot to require it fails here, by name.
 */
export function requiredValue<V>(value: V | null | undefined, field: string): V {
  if (value === undefined || value === null) throw new Error(`${field} is required to create a record and validation let it through empty`);
  return value;
}

/** Copies the values that were given (not undefined) onto the entity: left-out fields keep their stored value. */
export function assignDefined<E extends object>(entity: E, values: Partial<E>): E {
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) (entity as Record<string, unknown>)[key] = value;
  }
  return entity;
}
