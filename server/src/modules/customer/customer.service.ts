import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../common/request-context';
import { paginate, textFilter, type PageArgs } from '../../common/pagination';
import { checkReference, loadReferences } from '../../common/references';
import { RowValidator } from '../../common/row-validator';
import { inTransaction } from '../../common/transaction';
import { assignDefined, requiredValue, tooManyItems, upsertByCode, type UpsertResult, type UpsertSpec } from '../../common/upsert-by-code';
import type { CustomerFilter, CustomerInput, CustomerShipToInput, ShipToInput } from '../../generated/graphql';
import { recordAudit } from '../audit/audit.service';
import { CUSTOMER_KINDS, CustomerSchema, ShipToSchema, type Customer, type ShipTo } from './customer.entity';

interface ShipToValues {
  code: string;
  name?: string;
  address?: string | null;
}

interface CustomerValues {
  fields: Partial<Customer>;
  shipTos: ShipToValues[];
}

const MAX_ADDRESS_LENGTH = 1000;

/** Validates one ship-to; a new one (no `existing`) needs a name. */
function validateShipTo(v: RowValidator, item: ShipToInput, existing: ShipTo | undefined): ShipToValues | undefined {
  const code = v.code('code', item.code);
  const name = v.text('name', item.name, { required: !existing });
  const address =
    item.address === undefined ? undefined : item.address?.trim() ? v.text('address', item.address, { required: false, max: MAX_ADDRESS_LENGTH }) : null;
  return code === undefined ? undefined : { code, name, address };
}

function applyShipTo(em: EntityManager, customer: Customer, values: ShipToValues, existing: ShipTo | undefined): ShipTo {
  if (existing) return assignDefined(existing, { name: values.name, address: values.address });
  const shipTo = em.create(ShipToSchema, { customer, code: values.code, name: values.name!, address: values.address ?? null });
  customer.shipTos.add(shipTo);
  return shipTo;
}

function findShipTo(customer: Customer | undefined, code: string | undefined): ShipTo | undefined {
  if (!customer || !code) return undefined;
  return customer.shipTos.getItems().find((shipTo) => shipTo.code === code);
}

const customerSpec: UpsertSpec<CustomerInput, Customer, null, CustomerValues> = {
  entity: CustomerSchema,
  auditEntity: 'Customer',
  recordAudit,
  populate: ['shipTos'],
  prepare: async () => null,
  validate(v, item, existing) {
    const fields: Partial<Customer> = {
      name: v.text('name', item.name, { required: !existing }),
      kind: v.oneOf('kind', item.kind, CUSTOMER_KINDS, { required: false }),
      creditHold: item.creditHold ?? undefined,
      creditLimit: v.decimal('creditLimit', item.creditLimit, { required: false, nullable: true, min: 0, max: 1e10, maxScale: 4 }),
      openBalance: v.decimal('openBalance', item.openBalance, { required: false, min: -1e10, max: 1e10, maxScale: 4 }) ?? undefined,
      targetGpm: v.decimal('targetGpm', item.targetGpm, { required: false, nullable: true, min: 0, max: 99.999, maxScale: 3 }),
      consolidateInvoicesOnAutoBilling: item.consolidateInvoicesOnAutoBilling ?? undefined,
      excludedFromAutoBilling: item.excludedFromAutoBilling ?? undefined,
      billingAddress: v.optionalText('billingAddress', item.billingAddress, { max: 500, nullable: true }),
      paymentTermsDays: v.integer('paymentTermsDays', item.paymentTermsDays, { required: false, min: 0, max: 365 }) ?? undefined,
      fuelSurcharge: item.fuelSurcharge ?? undefined,
      showFobPrice: item.showFobPrice ?? undefined,
    };
    const shipTos: ShipToValues[] = [];
    const firstIndexOfCode = new Map<string, number>();
    (item.shipTos ?? []).forEach((shipToInput, index) => {
      const nested = v.nested(`shipTos.${index + 1}`, `ship-to ${index + 1}`);
      const code = shipToInput.code?.trim().toUpperCase();
      const values = validateShipTo(nested, shipToInput, findShipTo(existing, code));
      if (!values) return;
      const first = firstIndexOfCode.get(values.code);
      if (first !== undefined) nested.fail('DUPLICATE_CODE', 'code', `ship-to ${values.code} is already listed as shipTos.${first}`);
      else firstIndexOfCode.set(values.code, index + 1);
      shipTos.push(values);
    });
    return { fields, shipTos };
  },
  apply(em, code, values, existing) {
    const customer = existing ?? em.create(CustomerSchema, { ...values.fields, code, name: requiredValue(values.fields.name, 'name') });
    assignDefined(customer, values.fields);
    for (const shipTo of values.shipTos) applyShipTo(em, customer, shipTo, findShipTo(customer, shipTo.code));
    return customer;
  },
};

export function upsertCustomers(ctx: RequestContext, input: CustomerInput[]) {
  return upsertByCode(ctx, customerSpec, input);
}

/** Ship-tos of existing customers, named by customer code or exact name. */
export async function upsertShipTos(ctx: RequestContext, input: CustomerShipToInput[]): Promise<UpsertResult<Customer>> {
  const limitErrors = tooManyItems(input.length);
  if (limitErrors.length) return { nodes: [], errors: limitErrors };
  return inTransaction(ctx, async (em) => {
    const customers = await loadReferences(
      em,
      CustomerSchema,
      input.map((item) => item.customer),
    );
    const validators = input.map((_, index) => new RowValidator(index + 1));
    const owners = input.map((item, index) =>
      checkReference(validators[index], 'customer', item.customer, customers, { label: 'customer', unknown: 'UNKNOWN_CUSTOMER', required: true }),
    );
    const known = [...new Set(owners.filter((c): c is Customer => !!c))];
    await em.populate(known, ['shipTos']);

    const firstRowOfKey = new Map<string, number>();
    const values = input.map((item, index) => {
      const v = validators[index];
      const owner = owners[index];
      const cleaned = validateShipTo(v, item, findShipTo(owner, item.code?.trim().toUpperCase()));
      if (owner && cleaned) {
        const key = `${owner.id}/${cleaned.code}`;
        const first = firstRowOfKey.get(key);
        if (first !== undefined) v.fail('DUPLICATE_CODE', 'code', `ship-to ${cleaned.code} of ${owner.code} is already in row ${first}`);
        else firstRowOfKey.set(key, index + 1);
      }
      return cleaned;
    });
    const errors = validators.flatMap((v) => v.errors);
    if (errors.length) return { nodes: [], errors };

    const shipTos = input.map((_, index) => applyShipTo(em, owners[index]!, values[index]!, findShipTo(owners[index], values[index]!.code)));
    await em.flush();
    shipTos.forEach((shipTo, index) => recordAudit(em, ctx.actor, 'upsert', 'ShipTo', shipTo.id, input[index]));
    await em.flush();
    return { nodes: known, errors: [] };
  });
}

export function listCustomers(ctx: RequestContext, filter: CustomerFilter | null | undefined, page: PageArgs) {
  const where: Record<string, unknown> = { ...textFilter(filter?.text) };
  if (filter?.kind) where.kind = filter.kind;
  if (filter?.creditHold != null) where.creditHold = filter.creditHold;
  if (ctx.actor.role === 'CUSTOMER') where.id = ctx.actor.customerId;
  return paginate(ctx.em, CustomerSchema, where, page, { key: 'code', populate: ['shipTos'] });
}
