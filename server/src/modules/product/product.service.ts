import type { RequestContext } from '../../common/request-context';
import { paginate, textFilter, type PageArgs } from '../../common/pagination';
import { canonicalDecimal } from '../../common/decimal';
import type { EntityManager } from '@mikro-orm/postgresql';
import { checkReference, loadReferences, type ReferenceLookup } from '../../common/references';
import { normalizeCode, type RowValidator } from '../../common/row-validator';
import { assignDefined, requiredValue, upsertByCode, type UpsertRow, type UpsertSpec } from '../../common/upsert-by-code';
import type { ProductFilter, ProductInput } from '../../generated/graphql';
import { BoxTypeSchema, type BoxType } from '../box-type/box-type.entity';
import { PRODUCT_KINDS, PRODUCT_UNITS, ProductSchema, type Product } from './product.entity';
import { recordAudit } from '../audit/audit.service';

type Lookup<T extends { code: string; name: string }> = Awaited<ReturnType<typeof loadReferences<T>>>;

/** A recipe component as named: a stored product, or (product null) a new product of the same list. */
interface ComponentCandidate {
  code: string;
  name: string;
  product: Product | null;
}

interface PendingComponent {
  code: string;
  product: Product | null;
  units: string;
}

/** The cleaned values of one item: a recipe's components may be new products of the same list, given ids once inserted. */
type ProductValues = Omit<Partial<Product>, 'recipe'> & { recipe?: PendingComponent[] | null };

interface ProductLookups {
  boxTypes: Lookup<BoxType>;
  components: ReferenceLookup<ComponentCandidate, Product>;
}

/**
 * Recipe components by code, or by exact name when unique: stored products first, then the products of the
 * same list (in any order), so a catalogue loads its bouquets and their components in one call.
 */
async function componentLookup(em: EntityManager, items: ProductInput[]): Promise<ReferenceLookup<ComponentCandidate, Product>> {
  const stored = await loadReferences(
    em,
    ProductSchema,
    items.flatMap((item) => (item.recipe ?? []).map((entry) => entry.component)),
  );
  const listedByCode = new Map<string, ComponentCandidate>();
  const listedByName = new Map<string, ComponentCandidate[]>();
  for (const item of items) {
    const code = normalizeCode(item.code ?? '');
    if (!code || listedByCode.has(code)) continue;
    const listed = { code, name: item.name?.trim() ?? '', product: null };
    listedByCode.set(code, listed);
    const key = listed.name.toLowerCase();
    if (key) listedByName.set(key, [...(listedByName.get(key) ?? []), listed]);
  }
  const asCandidate = (product: Product): ComponentCandidate => ({ code: product.code, name: product.name, product });
  const lookup: ReferenceLookup<ComponentCandidate, Product> = (value) => {
    const code = normalizeCode(value);
    const match = stored(value);
    if ('found' in match && match.found.code === code) return { found: asCandidate(match.found) };
    const listed = listedByCode.get(code);
    if (listed) return { found: listed };
    if ('found' in match) return { found: asCandidate(match.found) };
    if ('ambiguous' in match) return { ambiguous: match.ambiguous.map(asCandidate) };
    const named = listedByName.get(value.trim().toLowerCase()) ?? [];
    if (named.length === 1) return { found: named[0] };
    if (named.length > 1) return { ambiguous: named };
    return { missing: true };
  };
  lookup.entity = ProductSchema;
  lookup.alsoCodes = [...listedByCode.keys()];
  return lookup;
}

/**
 * A recipe as given (undefined keeps the stored one): each component an existing product, or one of the
 * same list, other than the product itself, listed once, with units greater than 0; only a FINISHED
 * product may have one.
 */
function checkRecipe(
  v: RowValidator,
  item: ProductInput,
  existing: Product | undefined,
  kind: string | undefined,
  components: ReferenceLookup<ComponentCandidate, Product>,
): PendingComponent[] | null | undefined {
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
  const seen = new Set<string>();
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
    else if (component && seen.has(component.code)) rv.fail('INVALID_VALUE', 'component', `${component.code} is listed twice in the recipe`);
    if (component) seen.add(component.code);
    return component && units ? { code: component.code, product: component.product, units: canonicalDecimal(units)! } : undefined;
  });
  return recipe.every((entry) => entry) ? (recipe as PendingComponent[]) : undefined;
}

/**
 * Refuses recipes that would contain their own product through other recipes (A uses B, B uses A): the
 * recipes of the list as they would be saved, and the stored recipes of the products the list does not
 * change. Reads the stored recipes only when a component of the list has a recipe itself.
 */
async function checkRecipeCycles(em: EntityManager, rows: Array<UpsertRow<ProductInput, Product, ProductValues>>): Promise<void> {
  const listed = new Map(rows.map((row) => [row.code, row]));
  const hasRecipe = (component: PendingComponent) => {
    const row = listed.get(component.code);
    if (row) return !!(row.values.recipe ?? (row.values.recipe === undefined ? row.existing?.recipe : null))?.length;
    return !!component.product?.recipe?.length;
  };
  if (!rows.some((row) => row.values.recipe?.some(hasRecipe))) return;

  // Only a product with a recipe can be on a path back: the others end it.
  const stored = await em.find(ProductSchema, { recipe: { $ne: null } });
  const codeOf = new Map(stored.map((product) => [product.id, product.code]));
  const uses = new Map<string, string[]>();
  for (const product of stored)
    uses.set(
      product.code,
      (product.recipe ?? []).map((entry) => codeOf.get(entry.product) ?? `#${entry.product}`),
    );
  for (const row of rows) {
    if (row.values.recipe === null) uses.delete(row.code);
    else if (row.values.recipe)
      uses.set(
        row.code,
        row.values.recipe.map((entry) => entry.code),
      );
  }
  for (const row of rows) {
    const path = cycleFrom(row.code, uses);
    if (path) row.v.fail('RECIPE_CYCLE', 'recipe', `${path.join(' uses ')}: a recipe cannot contain its own product, not even through another recipe`);
  }
}

/** A path of recipes from `start` back to itself ([A, B, A]), or null when there is none. */
export function cycleFrom(start: string, uses: ReadonlyMap<string, readonly string[]>): string[] | null {
  const done = new Set<string>();
  const walk = (code: string, path: string[]): string[] | null => {
    for (const next of uses.get(code) ?? []) {
      if (next === start) return [...path, next];
      if (done.has(next) || path.includes(next)) continue;
      const found = walk(next, [...path, next]);
      if (found) return found;
      done.add(next);
    }
    return null;
  };
  return walk(start, [start]);
}

const productSpec: UpsertSpec<ProductInput, Product, ProductLookups, ProductValues> = {
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
    components: await componentLookup(em, items),
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
  checkList: (em, rows) => checkRecipeCycles(em, rows),
  apply: (em, code, { recipe, ...values }, existing) => {
    const product = assignDefined(
      existing ??
        em.create(ProductSchema, {
          ...values,
          code,
          name: requiredValue(values.name, 'name'),
          kind: requiredValue(values.kind, 'kind'),
          unit: requiredValue(values.unit, 'unit'),
          defaultBoxType: requiredValue(values.defaultBoxType, 'defaultBoxType'),
          defaultUnitsPerBox: requiredValue(values.defaultUnitsPerBox, 'defaultUnitsPerBox'),
        }),
      values as Partial<Product>,
    );
    // A component that is a new product of the same list gets its id when inserted: link() sets that recipe.
    if (recipe === null) product.recipe = null;
    else if (recipe?.every((entry) => entry.product)) product.recipe = recipe.map((entry) => ({ product: entry.product!.id, units: entry.units }));
    return product;
  },
  link: (_em, product, { recipe }, byCode) => {
    if (!recipe || recipe.every((entry) => entry.product)) return;
    product.recipe = recipe.map((entry) => ({ product: (entry.product ?? byCode.get(entry.code)!).id, units: entry.units }));
  },
};

export function upsertProducts(ctx: RequestContext, input: ProductInput[]) {
  return upsertByCode(ctx, productSpec, input);
}

export function listProducts(ctx: RequestContext, filter: ProductFilter | null | undefined, page: PageArgs) {
  const where = { ...textFilter(filter?.text), ...(filter?.kind ? { kind: filter.kind } : {}) };
  return paginate(ctx.em, ProductSchema, where, page, { key: 'code', populate: ['defaultBoxType'] });
}
