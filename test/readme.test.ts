import fs from 'node:fs';
import { buildSchema, Kind, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadTypeDefs } from '../server/src/app';

const readme = fs.readFileSync('README.md', 'utf8');
const schema = buildSchema(loadTypeDefs().join('\n'));

function examples(): string[] {
  const fenced = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
  const inline = [...readme.matchAll(/`((?:mutation )?\{ [^`]+\})`/g)].map((m) => m[1]);
  return [...fenced, ...inline];
}

describe('README', () => {
  it('has GraphQL examples that are valid against the schema', () => {
    const found = examples();
    expect(found.length).toBeGreaterThanOrEqual(8);
    for (const example of found) {
      // A block may show several operations one after the other: check each on its own.
      for (const definition of parse(example).definitions) {
        const errors = validate(schema, { kind: Kind.DOCUMENT, definitions: [definition] }).map((e) => e.message);
        expect(errors, example).toEqual([]);
      }
    }
  });

  it('names every Query and Mutation of the schema', () => {
    const names = [...Object.keys(schema.getQueryType()!.getFields()), ...Object.keys(schema.getMutationType()!.getFields())];
    const missing = names.filter((name) => !readme.includes(`\`${name}`));
    expect(missing).toEqual([]);
  });
});
