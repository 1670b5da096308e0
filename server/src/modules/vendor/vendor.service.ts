import type { RequestContext } from '../../common/request-context';
import { paginate, textFilter, type PageArgs } from '../../common/pagination';
import { assignDefined, requiredValue, upsertByCode, type UpsertSpec } from '../../common/upsert-by-code';
import type { VendorFilter, VendorInput } from '../../generated/graphql';
import { VENDOR_KINDS, VendorSchema, type Vendor } from './vendor.entity';
import { recordAudit } from '../audit/audit.service';

const vendorSpec: UpsertSpec<VendorInput, Vendor, null, Partial<Vendor>> = {
  entity: VendorSchema,
  auditEntity: 'Vendor',
  recordAudit,
  prepare: async () => null,
  validate: (v, item, existing) => ({
    name: v.text('name', item.name, { required: !existing }),
    kind: v.oneOf('kind', item.kind, VENDOR_KINDS, { required: !existing }),
    defaultPortOfOrigin:
      item.defaultPortOfOrigin === undefined ? undefined : item.defaultPortOfOrigin?.trim() ? v.code('defaultPortOfOrigin', item.defaultPortOfOrigin) : null,
  }),
  apply: (em, code, values, existing) =>
    assignDefined(
      existing ?? em.create(VendorSchema, { ...values, code, name: requiredValue(values.name, 'name'), kind: requiredValue(values.kind, 'kind') }),
      values,
    ),
};

export function upsertVendors(ctx: RequestContext, input: VendorInput[]) {
  return upsertByCode(ctx, vendorSpec, input);
}

export function listVendors(ctx: RequestContext, filter: VendorFilter | null | undefined, page: PageArgs) {
  const where = { ...textFilter(filter?.text), ...(filter?.kind ? { kind: filter.kind } : {}) };
  return paginate(ctx.em, VendorSchema, where, page, { key: 'code' });
}
