import { GraphQLError, type GraphQLArgument, type GraphQLInputType, type GraphQLSchema } from 'graphql';

/** Declared once, by `schema @inputLimits(...)` in server/schema/common.graphql. */
export interface InputLimits {
  maxListItems: number;
  maxStringLength: number;
}

export function inputLimitsOf(schema: GraphQLSchema): InputLimits {
  const directive = schema.astNode?.directives?.find((d) => d.name.value === 'inputLimits');
  const value = (name: string) => {
    const argument = directive?.arguments?.find((a) => a.name.value === name)?.value;
    if (argument?.kind !== 'IntValue') throw new Error(`the schema declares no @inputLimits(${name}: ...)`);
    return Number(argument.value);
  };
  return { maxListItems: value('maxListItems'), maxStringLength: value('maxStringLength') };
}

function refuse(path: string, message: string, limit: keyof InputLimits): never {
  throw new GraphQLError(`${path} ${message}`, { extensions: { code: 'BAD_USER_INPUT', field: path, limit } });
}

/** Where a value is, built only for a refusal: a 5,000-line push has 50,000 values, and almost never a refusal. */
interface Path {
  parent: Path | null;
  key: string | number;
}

const pathText = (path: Path): string => (path.parent ? `${pathText(path.parent)}.${path.key}` : String(path.key));

const nonNull = new WeakMap<object, boolean>();

/** Whether a wrapping type is NonNull (its name ends in `!`), worked out once per type. */
function isNonNull(type: GraphQLInputType): boolean {
  let known = nonNull.get(type);
  if (known === undefined) {
    known = String(type).endsWith('!');
    nonNull.set(type, known);
  }
  return known;
}

// By shape, not graphql's isListType & co: the schema may come from another copy of graphql (tests, tools).
function check(type: GraphQLInputType, value: unknown, path: Path, limits: InputLimits): void {
  if (value === null || value === undefined) return;
  const wrapper = type as { ofType?: GraphQLInputType };
  if (wrapper.ofType) {
    if (isNonNull(type)) return check(wrapper.ofType, value, path, limits);
    if (!Array.isArray(value)) return check(wrapper.ofType, value, path, limits);
    if (value.length > limits.maxListItems) {
      refuse(
        pathText(path),
        `has ${value.length} items; a list takes at most ${limits.maxListItems.toLocaleString('en-US')} (maxListItems): split the call`,
        'maxListItems',
      );
    }
    for (let i = 0; i < value.length; i++) check(wrapper.ofType, value[i], { parent: path, key: i + 1 }, limits);
    return;
  }
  const object = type as { getFields?: () => Record<string, { type: GraphQLInputType }> };
  if (object.getFields && typeof value === 'object') {
    const fields = object.getFields();
    for (const name in value as Record<string, unknown>) {
      if (Object.hasOwn(fields, name)) check(fields[name].type, (value as Record<string, unknown>)[name], { parent: path, key: name }, limits);
    }
    return;
  }
  if (typeof value === 'string' && value.length > limits.maxStringLength) {
    refuse(
      pathText(path),
      `is ${value.length} characters long; text takes at most ${limits.maxStringLength.toLocaleString('en-US')} (maxStringLength)`,
      'maxStringLength',
    );
  }
}

/** Throws BAD_USER_INPUT naming the first argument over a limit (`scanBoxes.labels`, `savePrebooks.input.2.ref`; list positions 1-based). */
export function checkInputLimits(fieldName: string, definitions: readonly GraphQLArgument[], args: Record<string, unknown>, limits: InputLimits): void {
  for (const definition of definitions)
    check(definition.type, args[definition.name], { parent: { parent: null, key: fieldName }, key: definition.name }, limits);
}
