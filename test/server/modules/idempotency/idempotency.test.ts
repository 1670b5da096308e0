// Idempotency keys belong to the token that sent them: another caller's key is a new key for me.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { countRows, startTestServer, type TestServer } from '../../../support/test-server';

const SAVE = `mutation($input: [PrebookInput!]!, $key: String) {
  savePrebooks(input: $input, idempotencyKey: $key) { results { number status } errors { code field } replayed }
}`;
const prebook = {
  customer: 'FRESHMART',
  carrier: 'ARMELLINI',
  truckDate: '2027-02-10',
  lines: [{ product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100, price: '0.85' }],
};

describe('idempotency keys', () => {
  let t: TestServer;
  let sales: string;
  let otherSales: string;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    const create = async (name: string) =>
      (await t.ok(`mutation { createApiToken(input: { name: "${name}", role: "SALES" }) { secret } }`)).createApiToken.secret as string;
    sales = await create('sales one');
    otherSales = await create('sales two');
  });
  afterAll(() => t.close());

  it("are scoped to the token's actor: the same key and payload from another token is a new push, never the first caller's result", async () => {
    const first = await t.ok(SAVE, { input: [prebook], key: 'shared-key-1' });
    expect(first.savePrebooks).toMatchObject({ replayed: false, results: [{ status: 'SAVED' }] });
    const before = await countRows(t.orm, 'prebook');

    // SALES sends ADMIN's key with the same payload: its own prebook, not ADMIN's stored answer.
    const other = await t.ok(SAVE, { input: [prebook], key: 'shared-key-1' }, sales);
    expect(other.savePrebooks.replayed).toBe(false);
    expect(other.savePrebooks.results[0].number).not.toBe(first.savePrebooks.results[0].number);
    expect(await countRows(t.orm, 'prebook')).toBe(before + 1);

    // Each caller's retry still replays its own result.
    expect((await t.ok(SAVE, { input: [prebook], key: 'shared-key-1' })).savePrebooks).toMatchObject({
      replayed: true,
      results: [{ number: first.savePrebooks.results[0].number }],
    });
    expect((await t.ok(SAVE, { input: [prebook], key: 'shared-key-1' }, sales)).savePrebooks).toMatchObject({
      replayed: true,
      results: [{ number: other.savePrebooks.results[0].number }],
    });
    expect(await countRows(t.orm, 'prebook')).toBe(before + 1);

    // Another payload under someone else's key is no conflict either: it is not their key.
    const changed = await t.ok(SAVE, { input: [{ ...prebook, customerPo: 'X' }], key: 'shared-key-1' }, otherSales);
    expect(changed.savePrebooks).toMatchObject({ replayed: false, errors: [], results: [{ status: 'SAVED' }] });
  });

  it('keys of the full length still fit with their scope', async () => {
    const key = 'k'.repeat(200);
    const first = await t.ok(SAVE, { input: [prebook], key }, sales);
    expect(first.savePrebooks.replayed).toBe(false);
    expect((await t.ok(SAVE, { input: [prebook], key }, sales)).savePrebooks.replayed).toBe(true);
    expect((await t.ok(SAVE, { input: [prebook], key: 'k'.repeat(201) }, sales)).savePrebooks.errors).toEqual([
      { code: 'INVALID_VALUE', field: 'idempotencyKey' },
    ]);
  });
});
