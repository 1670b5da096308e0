// Every mutation of the schema, called with random and hostile arguments generated from its input
// types, as variables and as literals written in the document with GraphQL string escapes (NUL, lone
// surrogates): never an internal error, and a call that answers only errors leaves the database as it
// was. Every list query, with forged cursors: never an internal error.
import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLOutputType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isReferenceErrorCode } from '../../../server/src/common/graphql-errors';
import { loadTypeDefs } from '../../../server/src/app';
import { seedCatalogue } from '../../support/fixtures';
import { stockBoxes } from '../../support/receiving';
import { startTestServer, type TestServer } from '../../support/test-server';
import { propertyOptions } from '../../support/property';

const schema = buildSchema(loadTypeDefs().join('\n'));
const ADMIN = 'fuzz-admin-token';

const hostileText = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '-1',
    '0',
    'NaN',
    'Infinity',
    '-Infinity',
    '1e309',
    '0x1F',
    '١٢٣',
    '💐🌹',
    "'; drop table box; --",
    'null',
    '[]',
    '{}',
    '\\',
    '"',
    'A'.repeat(5000),
  ),
  // Text PostgreSQL cannot store, and its neighbours that it can.
  fc.constantFrom('\u0000', 'FRESH\u0000MART', '\ud800', 'x\udc00y', '\ud83d\udc90', '\u2028', '\ufffd', '\u0001\u001f'),
  fc.constantFrom(
    'FRESHMART',
    'freshmart',
    'BLOOMS',
    'ROSAS',
    'ROSE-FREEDOM-50',
    'VASE-20',
    'MIA',
    'QB',
    'ARMELLINI',
    'PB-000001',
    'PO-000001',
    'INV-000001',
    'B-000001',
    'DC-ATL',
  ),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
);
const hostileNumberText = fc.oneof(
  fc.constantFrom('', '-0', '0.00001', '-5', '99999999999999999999', '1e3', '1,5', ' 2 ', 'NaN', '12.3456789'),
  fc.double({ noNaN: false }).map(String),
  fc.integer({ min: -1000, max: 1000 }).map(String),
);
const hostileDate = fc.constantFrom('', '2027-02-30', '2027-13-01', '27-02-10', 'tomorrow', '2027-02-10T00:00:00Z', '0000-01-01', '9999-12-31', '2027-02-10');
// Bounded integers whose products overflow (1,000,000 boxes of 100,000 units) as well as small ones.
const hostileInt = fc.oneof(
  fc.constantFrom(0, -1, 1, 2, 2 ** 31 - 1, -(2 ** 31), 99_999, 100_000, 999_999, 1_000_000, 100_000_000),
  fc.integer({ min: -5, max: 20 }),
);

/** A GraphQL string literal with every character outside printable ASCII written as a \\uXXXX escape (lone surrogates too). */
function stringLiteral(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const char = text[i];
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

/** A generated value written into the document as a GraphQL literal of its type. */
function literal(type: GraphQLInputType, value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (isNonNullType(type)) return literal(type.ofType, value);
  if (isListType(type)) return `[${(value as unknown[]).map((item) => literal(type.ofType, item)).join(', ')}]`;
  if (isEnumType(type)) return String(value);
  if (isInputObjectType(type)) {
    const fields = type.getFields();
    return `{ ${Object.entries(value as Record<string, unknown>)
      .filter(([name]) => fields[name])
      .map(([name, inner]) => `${name}: ${literal(fields[name].type, inner)}`)
      .join(', ')} }`;
  }
  if (typeof value === 'string') return stringLiteral(value);
  return JSON.stringify(value);
}

function valueFor(type: GraphQLInputType, depth: number): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return valueFor(type.ofType, depth);
  const nullable = (inner: fc.Arbitrary<unknown>) => fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 6, arbitrary: inner });
  if (isListType(type)) {
    const item = valueFor(type.ofType, depth + 1);
    // Duplicated rows too: the same generated item twice.
    return nullable(
      fc.oneof(
        fc.array(item, { maxLength: depth > 1 ? 2 : 3 }),
        item.map((x) => [x, x]),
      ),
    );
  }
  if (isEnumType(type)) return nullable(fc.constantFrom(...type.getValues().map((v) => v.name)));
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const field of fields) record[field.name] = valueFor(field.type, depth + 1);
    const required = fields.filter((f) => isNonNullType(f.type)).map((f) => f.name);
    return fc.record(record, { requiredKeys: required });
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
        return nullable(hostileInt);
      case 'Boolean':
        return nullable(fc.boolean());
      case 'Decimal':
        return nullable(hostileNumberText);
      case 'Date':
        return nullable(hostileDate);
      case 'ID':
        return nullable(fc.oneof(fc.constantFrom('1', '2', '0', '-1', '99999999999', 'abc', ''), fc.nat(50).map(String)));
      default:
        return nullable(hostileText);
    }
  }
  return fc.constant(null);
}

/** `__typename`, `errors { code message }` and one level of whatever else the payload has. */
function selection(type: GraphQLOutputType): string {
  const named = getNamedType(type);
  if (!isObjectType(named)) return '';
  const parts = ['__typename'];
  for (const [name, field] of Object.entries((named as GraphQLObjectType).getFields())) {
    const inner = getNamedType(field.type);
    if (name === 'errors') parts.push('errors { code message row field }');
    else if (isObjectType(inner)) parts.push(`${name} { __typename }`);
    else if (field.args.length === 0) parts.push(name);
  }
  return `{ ${parts.join(' ')} }`;
}

describe('fuzzing every mutation (property)', () => {
  let t: TestServer;
  const fingerprint = async () => {
    const [row] = await t.orm.em.getConnection().execute(`select md5(string_agg(t, '|' order by t)) as f from (
      select 'c' || count(*) || max(updated_at)::text as t from customer union all select 'p' || count(*) || max(updated_at)::text from product
      union all select 'v' || count(*) from vendor union all select 'pb' || count(*) || coalesce(max(version), 0) from prebook union all select 'pbl' || count(*) from prebook_line
      union all select 'po' || count(*) || coalesce(max(version), 0) from purchase_order union all select 'pol' || count(*) from purchase_order_line
      union all select 'b' || count(*) || string_agg(status || units_remaining, '' order by id) from box union all select 'i' || count(*) || coalesce(string_agg(status || version, '' order by id), '') from invoice
      union all select 'il' || count(*) from invoice_line union all select 's' || count(*) from settings union all select 'so' || count(*) from standing_order
      union all select 'bi' || count(*) from billing_issue union all select 'a' || count(*) from audit_event union all select 't' || count(*) || count(revoked_at) from api_token) x`);
    return row.f as string;
  };

  beforeAll(async () => {
    // The environment's admin token: revokeApiToken may revoke every stored token.
    t = await startTestServer({ adminToken: ADMIN });
    await seedCatalogue(t);
    await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 3, unitCost: '0.40' });
    await t.ok(
      `mutation { savePrebooks(input: [{ customer: "FRESHMART", carrier: "ARMELLINI", truckDate: "2030-02-10", lines: [{ product: "VASE-20", boxes: 1, unitsPerBox: 12 }] }]) { errors { code } } }`,
    );
  });
  afterAll(() => t.close());

  const mutations = Object.values(schema.getMutationType()!.getFields());
  it.each(mutations.map((m) => [m.name, m] as const))(
    '%s: no internal error, nothing written when nothing is done',
    async (name, field) => {
      const args = field.args;
      const variables: Record<string, fc.Arbitrary<unknown>> = {};
      for (const arg of args) variables[arg.name] = valueFor(arg.type, 0);
      const signature = args.length ? `(${args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ')})` : '';
      const call = args.length ? `(${args.map((a) => `${a.name}: $${a.name}`).join(', ')})` : '';
      const query = `mutation${signature} { ${name}${call} ${selection(field.type)} }`;
      const inline = (vars: Record<string, unknown>) => {
        const given = args.filter((a) => a.name in vars);
        const written = given.length ? `(${given.map((a) => `${a.name}: ${literal(a.type, vars[a.name])}`).join(', ')})` : '';
        return `mutation { ${name}${written} ${selection(field.type)} }`;
      };
      await fc.assert(
        fc.asyncProperty(
          fc.record(variables, { requiredKeys: args.filter((a) => isNonNullType(a.type)).map((a) => a.name) }),
          fc.boolean(),
          async (vars, asLiterals) => {
            const before = await fingerprint();
            const result = asLiterals ? await t.gql(inline(vars), undefined, ADMIN) : await t.gql(query, vars, ADMIN);
            const codes = (result.errors ?? []).map((e) => e.extensions?.code);
            // UNKNOWN_CUSTOMER, AMBIGUOUS_REFERENCE, ...: a filter argument naming nothing, a typed answer.
            expect(
              codes.filter(
                (c) => c !== 'BAD_USER_INPUT' && c !== 'GRAPHQL_VALIDATION_FAILED' && c !== 'GRAPHQL_PARSE_FAILED' && !isReferenceErrorCode(String(c)),
              ),
              JSON.stringify(result.errors),
            ).toEqual([]);
            if (result.errors?.length) {
              expect(await fingerprint()).toBe(before);
              return;
            }
            const payload = (result.data as Record<string, Record<string, unknown>>)[name];
            const reported = payload?.errors as Array<{ code: string; message: string }> | undefined;
            if (!reported?.length) return;
            for (const error of reported) expect(error.message.length, JSON.stringify(error)).toBeGreaterThan(0);
            const didSomething = Object.entries(payload).some(
              ([key, value]) =>
                key !== 'errors' && key !== '__typename' && (Array.isArray(value) ? value.length > 0 : value !== null && typeof value === 'object'),
            );
            if (!didSomething) expect(await fingerprint(), `${name} reported ${JSON.stringify(reported)} but wrote`).toBe(before);
          },
        ),
        propertyOptions(12),
      );
    },
    120_000,
  );

  const lists = Object.values(schema.getQueryType()!.getFields()).filter((f) => f.args.some((a) => a.name === 'after'));
  const forgedCursor = fc.oneof(
    fc
      .constantFrom('"abc"', '1e400', '-1', '1.5', '99999999999', '2147483648', 'null', '{}', '[1]', '"\\u0000"', '"\\ud800"', '""', 'true')
      .map((json) => Buffer.from(json).toString('base64url')),
    fc.oneof(fc.integer(), fc.string({ maxLength: 20 }), fc.double()).map((value) => Buffer.from(JSON.stringify(value) ?? 'null').toString('base64url')),
    // The change feed's shape: a transaction id and an event id as digit strings, up to and past their 64-bit ranges.
    fc
      .tuple(
        fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 21n }).map(String), fc.constantFrom('9999999999999999999', '18446744073709551616', '-1', '01', '')),
        fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 21n }).map(String), fc.constantFrom('9223372036854775808', '9999999999999999999', '-1', '1.5')),
      )
      .map((pair) => Buffer.from(JSON.stringify(pair)).toString('base64url')),
    fc.string({ maxLength: 20 }),
  );
  it.each(lists.map((q) => [q.name] as const))(
    '%s: forged cursors are a client error',
    async (name) => {
      await fc.assert(
        fc.asyncProperty(forgedCursor, fc.option(fc.integer({ min: -2, max: 1001 })), async (after, first) => {
          const result = await t.gql(`query($after: String, $first: Int) { ${name}(after: $after, first: $first) { __typename } }`, { after, first }, ADMIN);
          const codes = (result.errors ?? []).map((e) => e.extensions?.code);
          expect(
            codes.filter((c) => c !== 'BAD_USER_INPUT'),
            `${name} ${after}: ${JSON.stringify(result.errors)}`,
          ).toEqual([]);
        }),
        propertyOptions(12),
      );
    },
    60_000,
  );
});
