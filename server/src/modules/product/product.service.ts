import type { RequestContext } from '../../common/request-context';
import { paginate, textFilter, type PageArgs } from '../../common/pagination';
import { canonicalDecimal } from '../../common/decimal';
import { checkReference, loadReferences } from '../../common/references';
import { normalizeCode, type RowValidator } from '../../common/row-validator';
import { assignDefined, upsertByCode, type UpsertSpec } from '../../common/upsert-by-code';
import type { ProductFilter, ProductInput } from '../../generated/graphql';
import { BoxTypeSchema, type BoxType } from '../box-type/box-type.entity';
import { PRODUCT_KINDS, PRODUCT_UNITS, ProductSchema, type Product, type RecipeComponentValue } from './product.entity';
import { recordAudit } from '../audit/audit.service';

type Lookup<T extends { code: string; name: string }> = Awaited<ReturnType<typeof loadReferences<T>>>;
interface ProductLookups {
  boxTypes: Lookup<BoxType>;
  components: Lookup<Product>;
}

/**
 * A recipe as given (undefined keeps the stored one): each component an existing product other than the
 * product itself, listed once, with units greater than 0; only a FINISHED product may have one.
 */
function checkRecipe(
  v: RowValidator,
  item: ProductInput,
  existing: Product | undefined,
  kind: string | undefined,
  components: Lookup<Product>,
): RecipeComponentValue[] | null | undefined {
  const effectiveKind = kind ?? existing?.kind;
  const given = item.recipe === undefined ? undefined : (item.recipe ?? []);
  if ((given ?? existing?.recipe ?? []).length && effectiveKind && effectiveKind !== 'FINISHED') {
    const keep = given === undefined ? ': send recipe: [] to remove its recipe' : '';
    v.fail('INVALID_VALUE', 'recipe', `only a FINISHED product may have a recipe; ${normalizeCode(item.code ?? '')} is ${effectiveKind}${keep}`);
    return undefined;
  }
  if (given === undefined) return undefined;
  if (given.length === 0) return null;
  if (given.length > 100) return v.fail('INVALID_VALUE', 'recipe', 'a recipe has at most 100 components');
  const seen = new Set<number>();
  const recipe = given.map((entry, index) => {
    const rv = v.nested(`recipe.${index + 1}`, `component ${index + 1}`);
    const component = checkReference(rv, 'component', entry.component, components, {
      label: 'product',
      unknown: 'UNKNOWN_PRODUCT',
      ambiguous: 'AMBIGUOUS_PRODUCT',
      required: true,
    });
    const units = rv.decimal('units', entry.units, { required: true, min: 0, exclusiveMin: true, max: 100_000, maxScale: 4 });
    if (component && component.code === normalizeCode(item.code ?? ''))
      rv.fail('INVALID_VALUE', 'component', `${component.code} cannot be a component of itself`);
    else if (component && seen.has(component.id)) rv.fail('INVALID_VALUE', 'component', `${component.code} is listed twice in the recipe`);
    if (component) seen.add(component.id);
    return component && units ? { product: component.id, units: canonicalDecimal(units)! } : undefined;
  });
  return recipe.every((entry) => entry) ? (recipe as RecipeComponentValue[]) : undefined;
}

const productSpec: UpsertSpec<ProductInput, Product, ProductLookups, Partial<Product>> = {
  entity: ProductSchema,
  auditEntity: 'Product',
  recordAudit,
  populate: ['defaultBoxType'],
  prepare: async (em, items) => ({
    boxTypes: await loadReferences(
      em,
      BoxTypeSchema,
      items.map((item) => item.defaultBoxType),
    ),
    components: await loadReferences(
      em,
      ProductSchema,
      items.flatMap((item) => (item.recipe ?? []).map((entry) => entry.component)),
    ),
  }),
  validate: (v, item, existing, { boxTypes, components }) => ({
    name: v.text('name', item.name, { required: !existing }),
    kind: v.oneOf('kind', item.kind, PRODUCT_KINDS, { required: !existing }),
    recipe: checkRecipe(v, item, existing, item.kind == null ? undefined : item.kind.trim().toUpperCase(), components),
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
