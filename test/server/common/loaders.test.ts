import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgArray, pgIntArray, sqlText } from '../../../server/src/common/loaders';
import { startTestServer, type TestServer } from '../../support/test-server';

// The SQL literals repositories build for `em.execute`, read back by PostgreSQL: what goes in comes out.
const TEXTS = [
  'plain',
  "O'Brien's",
  'back\\slash',
  "both \\' and ''",
  'quote " inside',
  '{braces},comma',
  'NULL',
  '',
  ' spaced ',
  'what? ?? $1',
  'rosé 🌹',
  '\\\\',
];

describe('SQL literals of common/loaders', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('pgArray writes the array literal it always wrote: numbers, booleans and plain texts quoted, quotes and backslashes escaped', () => {
    expect(pgArray([1, 2.5, -3, true, false, null, 'a', 'a"b', 'c\\d', ''])).toBe('{"1","2.5","-3","true","false",NULL,"a","a\\"b","c\\\\d",""}');
    expect(pgArray([])).toBe('{}');
    expect(pgIntArray([1, 2, 2 ** 40])).toBe('{1,2}');
  });

  it('sqlText and pgArray round-trip every text through the database, alone and in an array', async () => {
    const em = t.orm.em.fork();
    for (const text of TEXTS) {
      const [row] = await em.execute<Array<{ value: string }>>(`select ?::text as value`, [sqlText(text)]);
      expect(row.value, text).toBe(text);
    }
    const values = [...TEXTS, null, 42];
    const viaText = await em.execute<Array<{ value: string | null }>>(`select x as value from unnest(?::text[]) with ordinality as u(x, n) order by n`, [
      sqlText(pgArray(values)),
    ]);
    const viaOrm = await em.execute<Array<{ value: string | null }>>(`select x as value from unnest(?::text[]) with ordinality as u(x, n) order by n`, [
      pgArray(values),
    ]);
    expect(viaText.map((r) => r.value)).toEqual(values.map((v) => (v === null ? null : String(v))));
    expect(viaOrm).toEqual(viaText);
  });

  it('sqlText carries a large JSON payload as jsonb unchanged', async () => {
    const payload = Array.from({ length: 2000 }, (_, i) => ({ ref: `R'${i}`, note: 'a\\b "c"', product: 'ROSE', price: '0.85' }));
    const [row] = await t.orm.em.fork().execute<Array<{ value: unknown }>>(`select ?::jsonb as value`, [sqlText(JSON.stringify(payload))]);
    expect(row.value).toEqual(payload);
  });
});
