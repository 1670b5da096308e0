import type { RequestContext } from '../../common/request-context';
import { paginate, textFilter, type PageArgs } from '../../common/pagination';
import { assignDefined, upsertByCode, type UpsertSpec } from '../../common/upsert-by-code';
import type { MasterDataFilter, ProductCategoryInput } from '../../generated/graphql';
import { recordAudit } from '../audit/audit.service';
import { ProductCategorySchema, type ProductCategory } from './product-category.entity';

interface CategoryValues {
  name?: string;
  maxAgeDays?: number | null;
}

const categorySpec: UpsertSpec<ProductCategoryInput, ProductCategory, null, CategoryValues> = {
  entity: ProductCategorySchema,
  auditEntity: 'ProductCategory',
  recordAudit,
  prepare: async () => null,
  validate: (v, item, existing) => ({
    name: v.text('name', item.name, { required: !existing }),
    maxAgeDays: v.integer('maxAgeDays', item.maxAgeDays, { required: false, min: 0, max: 3650, nullable: true }),
  }),
  apply: (em, code, values, existing) =>
    existing ? assignDefined(existing, values) : em.create(ProductCategorySchema, { code, name: values.name ?? code, maxAgeDays: values.maxAgeDays ?? null }),
};

export function upsertProductCategories(ctx: RequestContext, input: ProductCategoryInput[]) {
  return upsertByCode(ctx, categorySpec, input);
}

export function listProductCategories(ctx: RequestContext, filter: MasterDataFilter | null | undefined, page: PageArgs) {
  return paginate(ctx.em, ProductCategorySchema, textFilter(filter?.text), page, { key: 'code' });
}
