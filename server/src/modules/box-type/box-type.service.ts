import type { RequestContext } from '../../common/request-context';
import { paginate, textFilter, type PageArgs } from '../../common/pagination';
import { assignDefined, requiredValue, upsertByCode, type UpsertSpec } from '../../common/upsert-by-code';
import type { BoxTypeInput, MasterDataFilter } from '../../generated/graphql';
import { BoxTypeSchema, type BoxType } from './box-type.entity';
import { recordAudit } from '../audit/audit.service';

const boxTypeSpec: UpsertSpec<BoxTypeInput, BoxType, null, Partial<BoxType>> = {
  entity: BoxTypeSchema,
  auditEntity: 'BoxType',
  recordAudit,
  prepare: async () => null,
  validate: (v, item, existing) => ({
    name: v.text('name', item.name, { required: !existing }),
    fbe: v.decimal('fbe', item.fbe, { required: !existing, min: 0, exclusiveMin: true, max: 100, maxScale: 4 }) ?? undefined,
  }),
  apply: (em, code, values, existing) =>
    assignDefined(
      existing ?? em.create(BoxTypeSchema, { ...values, code, name: requiredValue(values.name, 'name'), fbe: requiredValue(values.fbe, 'fbe') }),
      values,
    ),
};

export function upsertBoxTypes(ctx: RequestContext, input: BoxTypeInput[]) {
  return upsertByCode(ctx, boxTypeSpec, input);
}

export function listBoxTypes(ctx: RequestContext, filter: MasterDataFilter | null | undefined, page: PageArgs) {
  return paginate(ctx.em, BoxTypeSchema, textFilter(filter?.text), page, { key: 'code' });
}
