// npm run docs:reference: writes docs/reference/graphql.md, the GraphQL reference, from the descriptions in
// server/schema/*.graphql. The file is generated: edit the schema, not the page. A test checks that the
// committed page is what this script makes from the current schema, and that nothing in the schema lacks a description.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildASTSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  isUnionType,
  parse,
  print,
  Source,
  type DocumentNode,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type GraphQLType,
  getNamedType,
} from 'graphql';
import { operationRoles } from '../server/src/common/authorization';

/** Which roles may call each query and mutation: the server's own table. */
type OperationRoles = Record<'Query' | 'Mutation', Record<string, readonly string[]>>;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SCHEMA_DIR = path.join(ROOT, 'server', 'schema');
export const REFERENCE_FILE = path.join(ROOT, 'docs', 'reference', 'graphql.md');

/** The schema's files, by name, as the server loads them. */
export function readSchemaFiles(dir = SCHEMA_DIR): Array<{ name: string; body: string }> {
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((name) => ({ name, body: fs.readFileSync(path.join(dir, name), 'utf8') }));
}

/** One schema from the files, each definition remembering the file it came from (its Source's name). */
export function schemaOf(files: Array<{ name: string; body: string }>): GraphQLSchema {
  const definitions = files.flatMap((file) => parse(new Source(file.body, file.name)).definitions);
  return buildASTSchema({ kind: 'Document', definitions } as DocumentNode);
}

type Kind = 'query' | 'mutation' | 'object' | 'input' | 'enum' | 'scalar' | 'interface' | 'union';

function kindOf(type: GraphQLNamedType): Kind {
  if (isObjectType(type)) return 'object';
  if (isInputObjectType(type)) return 'input';
  if (isEnumType(type)) return 'enum';
  if (isInterfaceType(type)) return 'interface';
  if (isUnionType(type)) return 'union';
  return 'scalar';
}

/** The anchor GitHub gives a heading "`name` kind". */
const anchor = (name: string, kind: Kind) => `${name.toLowerCase()}-${kind}`;

/** A description on one line, safe in a table cell. */
const cell = (text: string | null | undefined) => (text ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');

/** A type as written in the schema, its named type linked to its section. */
function typeLink(schema: GraphQLSchema, type: GraphQLType): string {
  const named = getNamedType(type);
  const written = String(type);
  if (isScalarType(named) && isSpecifiedScalarType(named)) return `\`${written}\``;
  return `[\`${written}\`](#${anchor(named.name, kindOf(named))})`;
}

const staffOnly = (field: GraphQLField<unknown, unknown>) => field.astNode?.directives?.some((d) => d.name.value === 'staffOnly') ?? false;

/** A field's or argument's notes after its description: deprecation, a default value, staff only. */
function notes(item: GraphQLArgument | GraphQLInputField | GraphQLField<unknown, unknown>): string {
  const out: string[] = [];
  const node = item.astNode;
  if (node && 'defaultValue' in node && node.defaultValue) out.push(`Default: \`${print(node.defaultValue)}\`.`);
  if ('args' in item && staffOnly(item)) out.push('Staff only: a CUSTOMER token is answered FORBIDDEN.');
  if (item.deprecationReason) out.push(`Deprecated: ${item.deprecationReason}`);
  return out.length ? ` ${out.join(' ')}` : '';
}

function argumentsTable(schema: GraphQLSchema, args: readonly GraphQLArgument[]): string[] {
  if (!args.length) return [];
  return [
    '| argument | type | description |',
    '|---|---|---|',
    ...args.map((a) => `| \`${a.name}\` | ${typeLink(schema, a.type)} | ${cell(a.description)}${notes(a)} |`),
    '',
  ];
}

/** A query or mutation: its description, who may call it, its arguments and what it returns. */
function operation(schema: GraphQLSchema, field: GraphQLField<unknown, unknown>, kind: 'query' | 'mutation', roles: readonly string[] | undefined): string[] {
  return [
    `### \`${field.name}\` ${kind}`,
    '',
    `${field.description ?? ''}${notes(field)}`.trim(),
    '',
    `Roles: ${roles?.length ? roles.join(', ') : 'none'}.`,
    '',
    ...argumentsTable(schema, field.args),
    `Returns ${typeLink(schema, field.type)}.`,
    '',
  ];
}

/** A named type: its description and its fields, input fields or values. */
function namedType(schema: GraphQLSchema, type: GraphQLNamedType): string[] {
  const kind = kindOf(type);
  const out = [`### \`${type.name}\` ${kind}`, '', type.description ?? '', ''];
  if (isObjectType(type) || isInterfaceType(type)) {
    out.push('| field | type | description |', '|---|---|---|');
    for (const field of Object.values(type.getFields())) {
      const args = field.args.map((a) => `\`${a.name}: ${String(a.type)}\` ${cell(a.description)}${notes(a)}`.trim());
      const argText = args.length ? ` Arguments: ${args.join('; ')}` : '';
      out.push(`| \`${field.name}\` | ${typeLink(schema, field.type)} | ${cell(field.description)}${notes(field)}${argText} |`);
    }
    out.push('');
  } else if (isInputObjectType(type)) {
    out.push('| field | type | description |', '|---|---|---|');
    for (const field of Object.values(type.getFields()))
      out.push(`| \`${field.name}\` | ${typeLink(schema, field.type)} | ${cell(field.description)}${notes(field)} |`);
    out.push('');
  } else if (isEnumType(type)) {
    out.push('| value | description |', '|---|---|');
    for (const value of type.getValues())
      out.push(`| \`${value.name}\` | ${cell(value.description)}${value.deprecationReason ? ` Deprecated: ${value.deprecationReason}` : ''} |`);
    out.push('');
  } else if (isUnionType(type)) {
    out.push(
      `One of: ${type
        .getTypes()
        .map((t) => typeLink(schema, t))
        .join(', ')}.`,
      '',
    );
  }
  return out;
}

/** The area a definition belongs to: its schema file's name, e.g. "purchase order" for purchase-order.graphql. */
const areaOf = (field: GraphQLField<unknown, unknown>) => (field.astNode?.loc?.source.name ?? '').replace(/\.graphql$/, '').replace(/-/g, ' ');

/** The operations of a root type, grouped by the schema file that declares them, in the files' order. */
function operations(
  schema: GraphQLSchema,
  fields: Array<GraphQLField<unknown, unknown>>,
  kind: 'query' | 'mutation',
  roles: Record<string, readonly string[]>,
): string[] {
  const out: string[] = [];
  let area = '';
  for (const field of fields) {
    if (areaOf(field) !== area) {
      area = areaOf(field);
      out.push(`*${area[0].toUpperCase()}${area.slice(1)}*`, '');
    }
    out.push(...operation(schema, field, kind, roles[field.name]));
  }
  return out;
}

/** The whole reference page, in Markdown. */
export function graphqlReference(schema: GraphQLSchema, roles: OperationRoles = operationRoles): string {
  const queries = Object.values(schema.getQueryType()?.getFields() ?? {});
  const mutations = Object.values(schema.getMutationType()?.getFields() ?? {});
  const roots = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name]);
  const types = Object.values(schema.getTypeMap())
    .filter((t) => !t.name.startsWith('__') && !roots.has(t.name) && !(isScalarType(t) && isSpecifiedScalarType(t)))
    .sort((a, b) => a.name.localeCompare(b.name, 'en'));
  const section = (title: string, kinds: Kind[]) => {
    const of = types.filter((t) => kinds.includes(kindOf(t)));
    return of.length ? [`## ${title}`, '', ...of.flatMap((t) => namedType(schema, t))] : [];
  };
  const directives = schema.getDirectives().filter((d) => !['include', 'skip', 'deprecated', 'specifiedBy', 'oneOf'].includes(d.name));
  const lines = [
    '<!-- Generated by `npm run docs:reference` from server/schema/*.graphql. Do not edit: edit the schema and run it again. -->',
    '',
    '# GraphQL reference',
    '',
    'Every query, mutation and type of the Stemline API, with the descriptions the schema gives them. The',
    'server answers at `/graphql` with a bearer token, as the guide for API clients tells; the same descriptions',
    'appear in GraphiQL at `/graphiql`. Types are written as in the schema: `!` is required, `[T]` a list.',
    'Each query and mutation names the roles whose tokens may call it; any other token is answered FORBIDDEN.',
    '',
    `- [Queries](#queries) (${queries.length})`,
    `- [Mutations](#mutations) (${mutations.length})`,
    '- [Objects](#objects), [Inputs](#inputs), [Enums](#enums), [Scalars](#scalars), [Directives](#directives)',
    '',
    '## Queries',
    '',
    ...operations(schema, queries, 'query', roles.Query),
    '## Mutations',
    '',
    ...operations(schema, mutations, 'mutation', roles.Mutation),
    ...section('Objects', ['object', 'interface', 'union']),
    ...section('Inputs', ['input']),
    ...section('Enums', ['enum']),
    ...section('Scalars', ['scalar']),
    '## Directives',
    '',
    ...directives.flatMap((d) => [`### \`@${d.name}\``, '', d.description ?? '', '', `On ${d.locations.join(', ')}.`, '', ...argumentsTable(schema, d.args)]),
  ];
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

/** Everything in the schema that has no description: types, fields, arguments and enum values ("Type.field(arg)"). */
export function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const roots = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name]);
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || (isScalarType(type) && isSpecifiedScalarType(type))) continue;
    if (!type.description && !roots.has(type.name)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type))
      for (const field of Object.values(type.getFields())) {
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        for (const arg of 'args' in field ? field.args : []) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    if (isEnumType(type)) for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
  }
  for (const directive of schema.getDirectives()) {
    if (!directive.description) missing.push(`@${directive.name}`);
    for (const arg of directive.args) if (!arg.description) missing.push(`@${directive.name}(${arg.name})`);
  }
  return missing;
}

function main(): number {
  const page = graphqlReference(schemaOf(readSchemaFiles()));
  fs.mkdirSync(path.dirname(REFERENCE_FILE), { recursive: true });
  fs.writeFileSync(REFERENCE_FILE, page);
  console.log(`${path.relative(ROOT, REFERENCE_FILE)}: ${page.split('\n').length} lines`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exit(main());
