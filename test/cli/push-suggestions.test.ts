import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/stemline-sheet';
import type { TestServer } from '../support/test-server';
import { closeCliWorkspace, startCliWorkspace } from '../support/cli-workspace';
import { readSheet, writeSheet } from '../support/xlsx';

describe('an unknown code on a sheet row names the codes most like it (stemline-sheet on .xlsx files)', () => {
  let t: TestServer;
  let dir: string;
  let args: string[];
  beforeAll(async () => {
    ({ t, dir, args } = await startCliWorkspace('push-suggestions-'));
    await t.ok(
      `mutation { upsertProducts(input: [{ code: "ROSE-MONDIAL", name: "Rose Mondial 50cm", kind: "LIVE", unit: "STEM", defaultBoxType: "QB", defaultUnitsPerBox: 100 }]) { errors { message } } }`,
    );
  });
  afterAll(() => closeCliWorkspace(t, dir));

  it('ROSE-MONDAL: did you mean ROSE-MONDIAL? in the Message column, with the customer and carrier typos of the same row', async () => {
    const file = path.join(dir, 'prebooks.xlsx');
    await writeSheet(file, 'Prebooks', [
      { Ref: 'A', Customer: 'FRESHMRT', Carrier: 'FEDX', 'Truck Date': new Date('2027-02-10T00:00:00Z'), Product: 'ROSE-MONDAL', Boxes: 2 },
      { Ref: 'B', Customer: 'BLOOMS', Carrier: 'FEDEX', 'Truck Date': new Date('2027-02-10T00:00:00Z'), Product: 'QWXZ-PLONK', Boxes: 2 },
    ]);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await main(['push', 'prebooks', file, ...args])).toBe(1);
    } finally {
      log.mockRestore();
    }
    const rows = await readSheet(file, 'Prebooks');
    expect(rows.map((r) => [r.Status, r.Message])).toEqual([
      [
        'ERROR',
        'Customer: unknown customer "FRESHMRT": did you mean FRESHMART?; Carrier: unknown carrier "FEDX": did you mean FEDEX?; Product: unknown product "ROSE-MONDAL": did you mean ROSE-MONDIAL?',
      ],
      ['ERROR', 'Product: unknown product "QWXZ-PLONK"'],
    ]);
  });
});
