import type { RequestContext } from '../../common/request-context';
import { paginate, textFilter, type PageArgs } from '../../common/pagination';
import { assignDefined, requiredValue, upsertByCode, type UpsertSpec } from '../../common/upsert-by-code';
import type { LocationInput, MasterDataFilter } from '../../generated/graphql';
import { LocationSchema, type Location } from './location.entity';
import { recordAudit } from '../audit/audit.service';

const locationSpec: UpsertSpec<LocationInput, Location, null, Partial<Location>> = {
  entity: LocationSchema,
  auditEntity: 'Location',
  recordAudit,
  prepare: async () => null,
  validate: (v, item, existing) => ({
    name: v.text('name', item.name, { required: !existing }),
    billUnitsAsBoxes: item.billUnitsAsBoxes ?? undefined,
  }),
  apply: (em, code, values, existing) =>
    assignDefined(existing ?? em.create(LocationSchema, { ...values, code, name: requiredValue(values.name, 'name') }), values),
};

export function upsertLocations(ctx: RequestContext, input: LocationInput[]) {
  return upsertByCode(ctx, locationSpec, input);
}

export function listLocations(ctx: RequestContext, filter: MasterDataFilter | null | undefined, page: PageArgs) {
  return paginate(ctx.em, LocationSchema, textFilter(filter?.text), page, { key: 'code' });
}
