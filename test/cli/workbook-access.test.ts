import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultsPathFor as resultsPath } from '../../cli/results-workbook';
import { checkWritable, lockFileBeside, saveFailure, WorkbookNotWritableError } from '../../cli/workbook-access';

describe('whether the tool may write a workbook', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stemline-access-'));
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it('puts results that cannot go into a workbook beside it, as "<name> (results).xlsx", whatever the input was', () => {
    expect(resultsPath('/data/spring orders.xlsx')).toBe(path.join('/data', 'spring orders (results).xlsx'));
    expect(resultsPath('orders.csv')).toBe('orders (results).xlsx');
    expect(resultsPath('/data/v1.2.xlsx')).toBe(path.join('/data', 'v1.2 (results).xlsx'));
  });

  it("finds Excel's and LibreOffice's lock files beside a workbook, and nothing else", async () => {
    const file = path.join(dir, 'prebooks.xlsx');
    await fs.writeFile(file, 'x');
    expect(await lockFileBeside(file)).toBeNull();
    // Another workbook's lock, even one whose name ends as this one's, is not this one's.
    await fs.writeFile(path.join(dir, '~$other.xlsx'), '');
    await fs.writeFile(path.join(dir, '~$ebooks.xlsx'), '');
    expect(await lockFileBeside(file)).toBeNull();
    for (const name of ['~$prebooks.xlsx', '.~lock.prebooks.xlsx#']) {
      await fs.writeFile(path.join(dir, name), '');
      expect(await lockFileBeside(file)).toBe(path.join(dir, name));
      await expect(checkWritable(file)).rejects.toThrow(`close prebooks.xlsx in Excel first (it is open: ${name} is beside it`);
      await fs.rm(path.join(dir, name));
    }
    await expect(checkWritable(file)).resolves.toBeUndefined();
  });

  it('refuses a path it cannot open for writing (a folder, as root could write a read-only file), and says why a save failed in words', async () => {
    const folder = path.join(dir, 'folder.xlsx');
    await fs.mkdir(folder);
    const error = await checkWritable(folder).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkbookNotWritableError);
    expect((error as Error).message).toBe('close folder.xlsx in Excel first (it is a folder); nothing was sent');
    await expect(checkWritable(path.join(dir, 'new.xlsx'))).resolves.toBeUndefined();
    expect(saveFailure(Object.assign(new Error('EPERM: operation not permitted'), { code: 'EPERM' }))).toBe('it is open in another program or read-only');
    expect(saveFailure(Object.assign(new Error('x'), { code: 'ENOSPC' }))).toBe('the disk is full');
  });
});
