// The README's example requests, run in order on a fresh database, answer exactly what the README shows.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from './support/fixtures';
import { startTestServer, type TestServer } from './support/test-server';

function examples(): Array<{ request: string; response: unknown }> {
  const readme = fs.readFileSync('README.md', 'utf8');
  const start = readme.indexOf('### Examples, one per operation family');
  const section = readme.slice(start, readme.indexOf('\n## ', start));
  const pairs = [...section.matchAll(/```graphql\n([\s\S]*?)```\s*```json\n([\s\S]*?)```/g)];
  return pairs.map((m) => ({ request: m[1], response: JSON.parse(m[2]) }));
}

describe('README examples', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
  });
  afterAll(() => t.close());

  it('answer what the README shows, one per operation family', async () => {
    const pairs = examples();
    expect(pairs.length).toBeGreaterThanOrEqual(12);
    const actual: unknown[] = [];
    for (const { request } of pairs) {
      const { status: _status, ...body } = await t.gql(request);
      actual.push(body);
    }
    if (process.env.PRINT_README_EXAMPLES) fs.writeFileSync(process.env.PRINT_README_EXAMPLES, JSON.stringify(actual, null, 1));
    expect(actual).toEqual(pairs.map((p) => p.response));
  });
});
