import fs from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';
import { buildSchema } from 'graphql';
import { graphqlReference, readSchemaFiles, REFERENCE_FILE, schemaOf, undescribed } from '../../../scripts/graphql-reference';

describe('generated GraphQL code', () => {
  it('is what `npm run codegen` produces from the current schema (commit it when this fails)', async () => {
    const { config } = await loadCodegenConfig({ configFilePath: 'codegen.yml' });
    const outputs = (await generate({ ...config, silent: true }, false)) as Array<{ filename: string; content: string }>;
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      const committed = await fs.readFile(output.filename, 'utf8').catch(() => '<missing>');
      expect(committed, `${output.filename} is stale: run npm run codegen`).toBe(output.content);
    }
  });
});

describe('the GraphQL reference (docs/reference/graphql.md)', () => {
  const schema = schemaOf(readSchemaFiles());

  it('is what `npm run docs:reference` produces from the current schema (commit it when this fails)', async () => {
    const committed = await fs.readFile(REFERENCE_FILE, 'utf8').catch(() => '<missing>');
    expect(committed, 'docs/reference/graphql.md is stale: run npm run docs:reference').toBe(graphqlReference(schema));
  });

  it('has a description for every type, field, argument, enum value and directive of the schema', () => {
    expect(undescribed(schema)).toEqual([]);
  });

  it('finds what lacks a description, so that the check above can fail', () => {
    const bare = buildSchema(`
      "Described." type Query { "Described." a(x: Int): Int, b: Color }
      enum Color { "Described." RED GREEN }
      input Filter { "Described." f: Int }
      directive @limit("Described." n: Int) on FIELD_DEFINITION
    `);
    expect(undescribed(bare)).toEqual(['Query.a(x)', 'Query.b', 'Color', 'Color.GREEN', 'Filter', '@limit']);
  });

  it('says which roles may call each query and mutation, from the table the server enforces', () => {
    const page = graphqlReference(schema);
    expect(page).toContain('### `apiTokens` query\n\nAPI tokens, newest first (never their secrets).\n\nRoles: ADMIN.\n');
    expect(page).toMatch(/### `scanBoxes` mutation\n\n[^\n]+\n\nRoles: ADMIN, BUYER, WAREHOUSE\.\n/);
    expect(page).not.toContain('Roles: none.');
  });

  it('links only to sections it has', () => {
    const page = graphqlReference(schema);
    const anchors = new Set([...page.matchAll(/^#+ (.+)$/gm)].map(([, heading]) => heading.toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-')));
    const targets = [...page.matchAll(/\]\(#([^)]+)\)/g)].map(([, target]) => target);
    expect(targets.length).toBeGreaterThan(100);
    expect(targets.filter((target) => !anchors.has(target))).toEqual([]);
  });
});
