// A 100,000-row push (the row limit) end to end, as a buyer runs it (its own process) against a test
// server: every row saved and written back, the tool's peak resident memory under 1 GB.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCliWorkspace, startCliWorkspace } from '../support/cli-workspace';
import { manyLinesRow, prebooksSheetXml, prebooksWorkbookParts, SHEET_PART, workbookOf } from '../support/hostile-xlsx';
import { countRows, type TestServer } from '../support/test-server';
import { runToolProcess } from '../support/tool-process';

const ROWS = 100_000;

const runTool = (args: string[]) => runToolProcess(args);

describe('a push at the row limit', () => {
  let t: TestServer;
  let dir: string;
  let args: string[];
  beforeAll(async () => {
    ({ t, dir, args } = await startCliWorkspace('stemline-push-memory-'));
  });
  afterAll(() => closeCliWorkspace(t, dir));

  it(`pushes ${ROWS.toLocaleString('en-US')} rows under 1 GB of peak memory`, async () => {
    const parts = await prebooksWorkbookParts();
    // Ten lines a prebook: 10,000 prebooks.
    const sheet = prebooksSheetXml(parts.get(SHEET_PART)!, ROWS, manyLinesRow);
    const file = path.join(dir, 'prebooks.xlsx');
    await fs.writeFile(file, workbookOf(parts, { [SHEET_PART]: sheet }));
    const run = await runTool(['push', 'prebooks', file, ...args]);
    process.stdout.write(`100,000-row push: ${run.seconds} s, peak ${run.peakMb} MB\n`);
    expect(run.code, run.output.slice(-2000)).toBe(0);
    expect(await countRows(t.orm, 'prebook_line')).toBe(ROWS);
    expect(run.peakMb).toBeGreaterThan(0);
    expect(run.peakMb).toBeLessThan(1024);
  }, 300_000);
});
