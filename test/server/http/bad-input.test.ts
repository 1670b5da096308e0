// Every input that made an internal error in issue 17 gets a client error naming the field, and
// writes nothing.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../support/fixtures';
import { countRows, startTestServer, type TestServer } from '../../support/test-server';

const cursor = (json: string) => Buffer.from(json, 'utf8').toString('base64url');

describe('bad input of issue 17', () => {
  let t: TestServer;
  let staticDir: string;
  beforeAll(async () => {
    staticDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stemline-static-'));
    await fs.writeFile(path.join(staticDir, 'taskpane.html'), '<html></html>');
    t = await startTestServer({ staticDir });
    await seedCatalogue(t);
  });
  afterAll(async () => {
    await t.close();
    await fs.rm(staticDir, { recursive: true, force: true });
  });

  async function refused(query: string, variables?: Record<string, unknown>) {
    const before = [await countRows(t.orm, 'prebook'), await countRows(t.orm, 'api_token'), await countRows(t.orm, 'audit_event')];
    const result = await t.gql(query, variables);
    expect(result.errors, query).toBeDefined();
    expect(result.data ?? null).toBeNull();
    expect([await countRows(t.orm, 'prebook'), await countRows(t.orm, 'api_token'), await countRows(t.orm, 'audit_event')]).toEqual(before);
    return { status: result.status, code: result.errors![0].extensions?.code, message: result.errors![0].message };
  }

  it('a NUL written as a GraphQL string escape, in a filter, mutation arguments, token names and idempotency keys', async () => {
    expect(await refused(`{ invoices(filter: { number: "\\u0000" }) { totalCount } }`)).toEqual({
      status: 400,
      code: 'BAD_USER_INPUT',
      message: 'Text may not contain the NUL character (U+0000): invoices.filter.number',
    });
    const prebook = await refused(
      `mutation { savePrebooks(input: [{ customer: "FRESH\\u0000MART", carrier: "ARMELLINI", truckDate: "2027-02-10", lines: [] }]) { errors { code } } }`,
    );
    expect(prebook.message).toMatch(/NUL.*: savePrebooks\.input\.customer$/);
    expect((await refused(`mutation { createApiToken(input: { name: "ana\\u0000", role: "BUYER" }) { secret } }`)).message).toMatch(
      /: createApiToken\.input\.name$/,
    );
    expect((await refused(`mutation { savePrebooks(input: [], idempotencyKey: "key\\u0000") { errors { code } } }`)).message).toMatch(
      /: savePrebooks\.idempotencyKey$/,
    );
    // The same through variables.
    const variables = await refused(`mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret } }`, {
      input: { name: 'ana\u0000', role: 'BUYER' },
    });
    expect(variables).toEqual({ status: 400, code: 'BAD_USER_INPUT', message: 'Text may not contain the NUL character (U+0000): variables.input.name' });
  });

  it('a lone surrogate in customerPo (it broke the audit JSON)', async () => {
    const input = [
      {
        customer: 'FRESHMART',
        carrier: 'ARMELLINI',
        truckDate: '2027-02-10',
        customerPo: 'FM-\ud800',
        lines: [{ product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100 }],
      },
    ];
    expect(await refused(`mutation($input: [PrebookInput!]!) { savePrebooks(input: $input) { errors { code } } }`, { input })).toEqual({
      status: 400,
      code: 'BAD_USER_INPUT',
      message: 'Text must be valid Unicode: it contains a lone UTF-16 surrogate: variables.input.0.customerPo',
    });
    // As an escape in the document it is a syntax error.
    expect(
      (
        await refused(
          `mutation { savePrebooks(input: [{ customer: "FRESHMART", carrier: "ARMELLINI", truckDate: "2027-02-10", customerPo: "\\ud800", lines: [] }]) { errors { code } } }`,
        )
      ).code,
    ).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('forged cursors: base64 of "abc" and of 1e400 on an id-keyed list, a number on customers (code-keyed), a huge id', async () => {
    for (const [list, after] of [
      ['invoices', cursor('"abc"')],
      ['invoices', cursor('1e400')],
      ['prebooks', cursor('99999999999')],
      ['customers', cursor('5')],
      ['customers', 'not base64 at all!'],
      ['purchaseNeeds', cursor('"x"')],
    ]) {
      const result = await refused(`query($after: String) { ${list}(after: $after) { totalCount } }`, { after });
      expect(result.code, `${list} ${after}`).toBe('BAD_USER_INPUT');
      expect(result.message).toMatch(/^after is not a cursor returned by this list/);
    }
  });

  it('boxes and unitsPerBox each within its limit, whose product overflows the units of a line', async () => {
    const line = { product: 'ROSE-FREEDOM-50', boxes: 1_000_000, unitsPerBox: 100_000 };
    const prebooks = await t.ok(`mutation($input: [PrebookInput!]!) { savePrebooks(input: $input) { results { status } errors { code field row message } } }`, {
      input: [{ customer: 'FRESHMART', carrier: 'ARMELLINI', truckDate: '2027-02-10', lines: [line] }],
    });
    expect(prebooks.savePrebooks.errors).toEqual([
      {
        code: 'INVALID_VALUE',
        field: 'lines.1.boxes',
        row: 1,
        message: expect.stringMatching(/1000000 boxes of 100000 are 100000000000 units; a line holds at most 100,000,000 units/),
      },
    ]);
    const orders = await t.ok(`mutation($input: [PurchaseOrderInput!]!) { savePurchaseOrders(input: $input) { errors { code field } } }`, {
      input: [{ vendor: 'ROSAS', location: 'MIA', shipDate: '2027-02-03', lines: [{ ...line, unitCost: '0.40' }] }],
    });
    expect(orders.savePurchaseOrders.errors).toEqual([{ code: 'INVALID_VALUE', field: 'lines.1.boxes' }]);
    expect(await countRows(t.orm, 'prebook')).toBe(0);
  });

  it('GET /%E0%A4%A on the static files is a 400', async () => {
    const response = await fetch(`${t.url}/%E0%A4%A`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'malformed percent-encoding in the path /%E0%A4%A' });
  });
});
