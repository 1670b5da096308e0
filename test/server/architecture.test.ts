// The shape of the server (README, code style): common/ depends on no module, modules do not depend on
// each other in a cycle, and raw SQL lives only in repository files. Read from the source, so a new import
// or a query written in a service fails here, naming the file and line.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findCycles, findSql, readImports, unitGraph, unitOf, type FileImport } from '../support/import-graph';

const root = fileURLToPath(new URL('../../server/src', import.meta.url));
const { files, imports } = readImports(root);
const at = (edge: FileImport) => `${edge.from}:${edge.line} imports ${edge.to}`;

describe('server architecture', () => {
  it('reads the imports of every server file, import type and export-from included', () => {
    expect(files.length).toBeGreaterThan(100);
    const fromBilling = imports.filter((edge) => edge.from === 'modules/billing/billing-run.ts').map((edge) => edge.to);
    expect(fromBilling).toContain('modules/box/billable-box'); // import type
    expect(fromBilling).toContain('common/request-context'); // import type
    expect(fromBilling).toContain('modules/billing/billing.repository');
  });

  it('common/ imports no module', () => {
    const wrong = imports.filter((edge) => unitOf(edge.from) === 'common' && unitOf(edge.to).startsWith('modules/'));
    expect(wrong.map(at)).toEqual([]);
  });

  it('no cycle between modules (nor between modules and the other folders of server/src)', () => {
    const graph = unitGraph(imports);
    const edge = (from: string, to: string) => {
      const made = graph.get(from)!.get(to)!;
      return `  ${from} → ${to}: ${made.slice(0, 3).map(at).join('; ')}${made.length > 3 ? ` and ${made.length - 3} more` : ''}`;
    };
    const cycles = findCycles(graph).map(({ path, members }) =>
      [`${path.join(' → ')} (${members.join(', ')} depend on each other)`, ...path.slice(0, -1).map((from, i) => edge(from, path[i + 1]))].join('\n'),
    );
    expect(cycles).toEqual([]);
  });

  // db/ (migrations, backup), demo/ and the health check of server.ts talk to the database as tools, not as domain code.
  it('raw SQL only in repository files (modules/, common/ and documents/)', () => {
    const scoped = files.filter((file) => /^(modules|common|documents)\//.test(file) && !file.endsWith('.repository.ts'));
    const found = scoped.flatMap((file) => findSql(file, readFileSync(`${root}/${file}`, 'utf8'))).map((f) => `${f.file}:${f.line} ${f.what}`);
    expect(found).toEqual([]);
  });
});

describe('import graph helpers', () => {
  const graphOf = (edges: Array<[string, string]>) => {
    const graph = new Map<string, Map<string, unknown>>();
    for (const [from, to] of edges) {
      if (!graph.has(from)) graph.set(from, new Map());
      if (!graph.has(to)) graph.set(to, new Map());
      graph.get(from)!.set(to, true);
    }
    return graph;
  };

  it('finds no cycle in a layered graph', () => {
    expect(
      findCycles(
        graphOf([
          ['a', 'b'],
          ['b', 'c'],
          ['a', 'c'],
          ['d', 'c'],
        ]),
      ),
    ).toEqual([]);
  });

  it('finds each cycle with a path through it, two-way and longer', () => {
    const cycles = findCycles(
      graphOf([
        ['billing', 'invoice'],
        ['invoice', 'receiving'],
        ['receiving', 'billing'],
        ['invoice', 'billing'],
        ['prebook', 'standing-order'],
        ['standing-order', 'prebook'],
        ['prebook', 'customer'],
      ]),
    );
    expect(cycles).toEqual([
      { path: ['billing', 'invoice', 'billing'], members: ['billing', 'invoice', 'receiving'] },
      { path: ['prebook', 'standing-order', 'prebook'], members: ['prebook', 'standing-order'] },
    ]);
    expect(
      findCycles(
        graphOf([
          ['a', 'b'],
          ['b', 'c'],
          ['c', 'a'],
        ]),
      )[0].path,
    ).toEqual(['a', 'b', 'c', 'a']);
  });

  it('groups files into units: a module folder, or a top-level folder', () => {
    expect(['modules/billing/billing.service.ts', 'common/loaders.ts', 'documents/zpl.ts', 'app.ts'].map(unitOf)).toEqual([
      'modules/billing',
      'common',
      'documents',
      'app',
    ]);
  });

  it('leaves imports inside a unit and the generated code out of the unit graph', () => {
    const graph = unitGraph([
      { from: 'modules/a/a.service.ts', to: 'modules/a/a.entity', line: 1 },
      { from: 'generated/graphql.ts', to: 'modules/a/a.entity', line: 1 },
      { from: 'modules/a/a.service.ts', to: 'generated/graphql', line: 2 },
    ]);
    expect([...graph.get('modules/a')!.keys()]).toEqual(['generated']);
    expect([...graph.get('generated')!.keys()]).toEqual([]);
  });

  it('reads SQL text, locks and query calls, not prose', () => {
    const source = [
      'const a = await em.execute(`select id from box where label = any(?::text[]) order by id for update`, []);',
      'const b = `update box b set status = x.status from unnest(?::int[]) as x(id) where b.id = x.id`;',
      "const c = 'insert into invoice_line_box (invoice_line_id) values (?)';",
      'const d = em.createQueryBuilder(BoxSchema).where({ id: 1 });',
      "const e = `select pg_try_advisory_xact_lock(hashtext('${LOCK}')) as locked`;",
      "const f = 'Select a customer first: update the sheet and push again';",
      "const g = `with lines as (select 1) update purchase_order po set status = 'X'`;",
      'const h = em.find(BoxSchema, { label });',
    ].join('\n');
    expect(findSql('x.ts', source).map((f) => `${f.line} ${f.what.split(' ')[0]}`)).toEqual(['1 call', '1 SQL', '2 SQL', '3 SQL', '4 call', '5 SQL', '7 SQL']);
  });
});
