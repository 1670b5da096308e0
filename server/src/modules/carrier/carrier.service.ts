import type { RequestContext } from '../../common/request-context';
import { paginate, textFilter, type PageArgs } from '../../common/pagination';
import { assignDefined, requiredValue, upsertByCode, type UpsertSpec } from '../../common/upsert-by-code';
import type { CarrierInput, MasterDataFilter } from '../../generated/graphql';
import { CarrierSchema, type Carrier } from './carrier.entity';
import { recordAudit } from '../audit/audit.service';

const carrierSpec: UpsertSpec<CarrierInput, Carrier, null, Partial<Carrier>> = {
  entity: CarrierSchema,
  auditEntity: 'Carrier',
  recordAudit,
  prepare: async () => null,
  validate: (v, item, existing) => ({ name: v.text('name', item.name, { required: !existing }) }),
  apply: (em, code, values, existing) =>
    assignDefined(existing ?? em.create(CarrierSchema, { ...values, code, name: requiredValue(values.name, 'name') }), values),
};

export function upsertCarriers(ctx: RequestContext, input: CarrierInput[]) {
  return upsertByCode(ctx, carrierSpec, input);
}

export function listCarriers(ctx: RequestContext, filter: MasterDataFilter | null | undefined, page: PageArgs) {
  return paginate(ctx.em, CarrierSchema, textFilter(filter?.text), page, { key: 'code' });
}
