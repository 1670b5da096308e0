import type { RequestContext } from '../../common/request-context';
import { paginate, textFilter, type PageArgs } from '../../common/pagination';
import { checkReference, loadReferences } from '../../common/references';
import { assignDefined, upsertByCode, type UpsertSpec } from '../../common/upsert-by-code';
import type { ProductFilter, ProductInput } from '../../generated/graphql';
import { BoxTypeSchema, type BoxType } from '../box-type/box-type.entity';
import { PRODUCT_KINDS, PRODUCT_UNITS, ProductSchema, type Product } from './product.entity';

type BoxTypeLookup = Awaited<ReturnType<typeof loadReferences<BoxType>>>;

const productSpec: UpsertSpec<ProductInput, Product, BoxTypeLookup, Partial<Product>> = {
  entity: ProductSchema,
  auditEntity: 'Product',
  populate: ['defaultBoxType'],
  prepare: (em, items) => loadReferences(em, BoxTypeSchema, items.map((item) => item.defaultBoxType)),
  validate: (v, item, existing, boxTypes) => ({
    name: v.text('name', item.name, { required: !existing }),
    kind: v.oneOf('kind', item.kind, PRODUCT_KINDS, { required: !existing }),
    unit: v.oneOf('unit', item.unit, PRODUCT_UNITS, { required: !existing }),
    stemsPerBunch: v.integer('stemsPerBunch', item.stemsPerBunch, { required: false, min: 1, max: 10_000, nullable: true }),
    defaultBoxType: checkReference(v, 'defaultBoxType', item.defaultBoxType, boxTypes, {
      label: 'box type',
      unknown: 'UNKNOWN_BOX_TYPE',
      required: !existing,
    }),
    defaultUnitsPerBox: v.integer('defaultUnitsPerBox', item.defaultUnitsPerBox, { required: !existing, min: 1, max: 100_000 }) ?? undefined,
  }),
  apply: (em, code, values, existing) => assignDefined(existing ?? em.create(ProductSchema, { code, ...values } as never), values),
};

export function upsertProducts(ctx: RequestContext, input: ProductInput[]) {
  return upsertByCode(ctx, productSpec, input);
}

export function listProducts(ctx: RequestContext, filter: ProductFilter | null | undefined, page: PageArgs) {
  const where = { ...textFilter(filter?.text), ...(filter?.kind ? { kind: filter.kind } : {}) };
  return paginate(ctx.em, ProductSchema, where, page, { key: 'code', populate: ['defaultBoxType'] });
}
