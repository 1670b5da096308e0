// Every list argument takes at most maxListItems items and every text argument at most maxStringLength
// characters, as the schema declares once (@inputLimits) and the API guide shows. The cases are derived
// from the schema: every list and text position of every query and mutation argument (through input
// objects and the first item of lists), so a new argument is covered by itself.
import fs from 'node:fs';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTypeDefs } from '../../../server/src/app';
import { checkInputLimits, inputLimitsOf } from '../../../server/src/common/input-limits';
import { startTestServer, type TestServer } from '../../support/test-server';

const schema = buildSchema(loadTypeDefs().join('\n'));
const limits = inputLimitsOf(schema);

/** A value of `type` with only its required parts, each as small as valid. */
function minimal(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return minimal(type.ofType);
  if (isListType(type)) return [];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((f) => isNonNullType(f.type))
        .map((f) => [f.name, minimal(f.type)]),
    );
  }
  switch (getNamedType(type).name) {
    case 'Int':
      return 1;
    case 'Boolean':
      return false;
    case 'Date':
      return '2030-01-01';
    case 'Decimal':
      return '1';
    default:
      return 'X';
  }
}

interface Case {
  /** The argument path as the error names it (list positions 1-based). */
  path: string;
  kind: 'list' | 'text';
  /** The argument's value with the oversized part in place. */
  value: unknown;
}

/** Every list and text position in one argument: through input objects and into the first item of lists (two levels). */
function cases(type: GraphQLInputType, path: string, depth: number, build: (inner: unknown) => unknown): Case[] {
  const found: Case[] = [];
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    found.push({ path, kind: 'list', value: build(Array.from({ length: limits.maxListItems + 1 }, () => minimal(inner.ofType))) });
    if (depth < 3) found.push(...cases(inner.ofType, `${path}.1`, depth + 1, (item) => build([item])));
  } else if (isInputObjectType(inner)) {
    if (depth < 3) {
      for (const field of Object.values(inner.getFields())) {
        found.push(...cases(field.type, `${path}.${field.name}`, depth + 1, (value) => build({ ...(minimal(inner) as object), [field.name]: value })));
      }
    }
  } else if (isScalarType(inner) && ['String', 'ID'].includes(inner.name)) {
    // Decimal and Date refuse a long value by their format already.
    found.push({ path, kind: 'text', value: build('x'.repeat(limits.maxStringLength + 1)) });
  }
  return found;
}

function operationFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, argument: string): string {
  const args = field.args.filter((a) => a.name === argument || isNonNullType(a.type));
  const signature = args.map((a) => `$${a.name}: ${a.type}`).join(', ');
  const call = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
  return `${kind}(${signature}) { ${field.name}(${call})${selection} }`;
}

describe('input limits', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('are declared once, in the schema, and the API guide shows them', () => {
    expect(limits).toEqual({ maxListItems: 10_000, maxStringLength: 1_000 });
    const guide = fs.readFileSync('docs/api.md', 'utf8');
    expect(guide).toContain('`schema @inputLimits(maxListItems: 10000, maxStringLength: 1000)`');
  });

  it('refuse every list argument over maxListItems and every text argument over maxStringLength, naming it, before anything runs', async () => {
    const checked: string[] = [];
    for (const [kind, root] of [
      ['query', schema.getQueryType()!],
      ['mutation', schema.getMutationType()!],
    ] as const) {
      for (const field of Object.values(root.getFields())) {
        for (const argument of field.args) {
          for (const probe of cases(argument.type, `${field.name}.${argument.name}`, 0, (value) => value)) {
            const variables = Object.fromEntries(field.args.filter((a) => isNonNullType(a.type)).map((a) => [a.name, minimal(a.type)]));
            variables[argument.name] = probe.value;
            const result = await t.gql(operationFor(kind, field, argument.name), variables);
            expect(result.errors?.[0], probe.path).toMatchObject({
              message: expect.stringMatching(
                probe.kind === 'list'
                  ? /has 10001 items; a list takes at most 10,000 \(maxListItems\)/
                  : /is 1001 characters long; text takes at most 1,000 \(maxStringLength\)/,
              ),
              extensions: { code: 'BAD_USER_INPUT', field: probe.path },
            });
            checked.push(`${probe.kind} ${probe.path}`);
          }
        }
      }
    }
    // The lists issue 17 found unlimited are among them.
    for (const path of [
      'list scanBoxes.labels',
      'list setUnableToSource.prebookLineIds',
      'list fillFromOpenMarket.prebookLines',
      'list setInvoicePrices.prices',
      'list confirmStaging.input.purchaseOrders',
      'text savePrebooks.input.1.ref',
    ]) {
      expect(checked).toContain(path);
    }
    expect(checked.length).toBeGreaterThan(150);
  }, 300_000);

  it('at the limits, the call goes through to the service', async () => {
    const labels = Array.from({ length: limits.maxListItems }, (_, i) => `L${i}`);
    const scanned = await t.ok(`mutation($labels: [String!]!) { scanBoxes(labels: $labels, kind: INBOUND) { results { outcome } } }`, { labels });
    expect(scanned.scanBoxes.results).toHaveLength(limits.maxListItems);
    const ref = 'r'.repeat(limits.maxStringLength);
    const saved = await t.ok(`mutation($input: [PrebookInput!]!) { savePrebooks(input: $input) { results { ref } } }`, {
      input: [{ ref, customer: 'NOBODY', carrier: 'X', truckDate: '2030-01-01', lines: [] }],
    });
    expect(saved.savePrebooks.results[0].ref).toBe(ref);
  }, 60_000);
});

describe('checkInputLimits', () => {
  const savePrebooks = schema.getMutationType()!.getFields().savePrebooks;
  const line = { product: 'ROSE', boxes: 1 };
  const doc = (lines: unknown[]) => ({ customer: 'C', carrier: 'K', truckDate: '2030-01-01', lines });
  const refusal = (args: Record<string, unknown>) => {
    try {
      checkInputLimits('savePrebooks', savePrebooks.args, args, limits);
    } catch (error) {
      return { message: (error as Error).message, extensions: (error as { extensions: unknown }).extensions };
    }
    return null;
  };

  it('names the position of a value over a limit deep in a push, list positions 1-based', () => {
    const long = 'x'.repeat(limits.maxStringLength + 1);
    expect(refusal({ input: [doc([line]), doc([line]), doc([line, { ...line, product: long }])] })).toEqual({
      message: 'savePrebooks.input.3.lines.2.product is 1001 characters long; text takes at most 1,000 (maxStringLength)',
      extensions: { code: 'BAD_USER_INPUT', field: 'savePrebooks.input.3.lines.2.product', limit: 'maxStringLength' },
    });
    const many = Array.from({ length: limits.maxListItems + 1 }, () => line);
    expect(refusal({ input: [doc([line]), doc(many)] })).toMatchObject({
      message: 'savePrebooks.input.2.lines has 10001 items; a list takes at most 10,000 (maxListItems): split the call',
      extensions: { field: 'savePrebooks.input.2.lines', limit: 'maxListItems' },
    });
  });

  it('lets through values at the limits, nulls and omitted fields', () => {
    const atLimit = 'x'.repeat(limits.maxStringLength);
    expect(refusal({ input: [doc([{ ...line, product: atLimit, vendor: null }]), { ...doc([line]), customerPo: atLimit }], idempotencyKey: null })).toBeNull();
  });
});
