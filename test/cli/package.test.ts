// The sheet tool as a buyer installs it: `npm run pack:sheet`'s tarball installed with
// `npm install -g` (here into a prefix of the test's own, offline) and run from a folder of the
// buyer's, far from the repository and its node_modules.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packSheetTool } from '../../scripts/build-cli';
import type { TestServer } from '../support/test-server';
import { closeCliWorkspace, startCliWorkspace } from '../support/cli-workspace';
import { readSheet, writeSheet } from '../support/xlsx';

const run = promisify(execFile);

describe('the stemline-sheet package (npm run pack:sheet, npm install -g)', () => {
  let t: TestServer;
  let dir: string;
  let args: string[];
  let scratch: string;
  beforeAll(async () => {
    ({ t, dir, args } = await startCliWorkspace('stemline-sheet-buyer-'));
    scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'stemline-sheet-install-'));
  });
  afterAll(async () => {
    await closeCliWorkspace(t, dir);
    await fs.rm(scratch, { recursive: true, force: true });
  });

  // A build, npm twice and five runs of the tool: more than the usual 30 s on a busy machine.
  it('installs from its tarball with nothing to download and runs --help, new and push from another folder', async () => {
    const tarball = await packSheetTool(path.join(scratch, 'packed'));
    expect(path.basename(tarball)).toMatch(/^stemline-sheet-\d+\.\d+\.\d+\.tgz$/);
    // The buyers guide names this very file.
    const readme = await fs.readFile(path.join(import.meta.dirname, '../../docs/buyers.md'), 'utf8');
    expect(readme).toContain(`npm run pack:sheet        # writes dist/${path.basename(tarball)}`);
    expect(readme).toContain(`npm install -g ./${path.basename(tarball)}`);

    const prefix = path.join(scratch, 'prefix');
    // The machine's Node and npm, nothing of the repository: no node_modules/.bin, no NODE_PATH or NODE_OPTIONS.
    const env = { PATH: [path.dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(path.delimiter), HOME: scratch };
    // As the buyers guide says: in the folder that has the file.
    const npm = [
      'install',
      '-g',
      `./${path.basename(tarball)}`,
      '--prefix',
      prefix,
      '--offline',
      '--no-audit',
      '--no-fund',
      '--cache',
      path.join(scratch, 'npm-cache'),
    ];
    await run('npm', npm, { cwd: path.dirname(tarball), env });

    const installed = path.join(prefix, 'lib/node_modules/stemline-sheet');
    const manifest = JSON.parse(await fs.readFile(path.join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ name: 'stemline-sheet', bin: { 'stemline-sheet': 'stemline-sheet.mjs' } });
    expect(manifest.dependencies).toBeUndefined();
    // The bundle and its README, no node_modules: exceljs and the rest are inside the bundle.
    const files = await fs.readdir(installed);
    expect(files.filter((f) => !f.endsWith('.mjs')).sort()).toEqual(['README.md', 'THIRD-PARTY-LICENSES.txt', 'package.json']);
    expect(await fs.readFile(path.join(installed, 'THIRD-PARTY-LICENSES.txt'), 'utf8')).toMatch(/^exceljs 4\.\d+\.\d+ \(MIT\)\n\nThe MIT License/m);

    const tool = path.join(prefix, 'bin/stemline-sheet');
    const help = await run(tool, ['--help'], { cwd: dir, env });
    expect(help.stdout).toContain('stemline-sheet push prebooks <file.xlsx>');
    expect((await run(tool, ['--version'], { cwd: dir, env })).stdout).toBe(`stemline-sheet ${String(manifest.version)}\n`);

    // new: the exceljs chunk, loaded only by the commands that use it.
    await run(tool, ['new', 'prebooks', '--out', 'template.xlsx', ...args], { cwd: dir, env });
    const template = new ExcelJS.Workbook();
    await template.xlsx.readFile(path.join(dir, 'template.xlsx'));
    expect(template.worksheets.some((sheet) => sheet.getTable('Prebooks'))).toBe(true);

    const row = { Ref: 'A', Customer: 'FRESHMART', Carrier: 'ARMELLINI', 'Truck Date': new Date('2027-02-10T00:00:00Z'), Product: 'ROSE-FREEDOM-50' };
    await writeSheet(path.join(dir, 'prebooks.xlsx'), 'Prebooks', [{ ...row, Boxes: 4, 'Units/Box': 100, Price: 0.85, Cost: 0.52 }]);
    const pushed = await run(tool, ['push', 'prebooks', 'prebooks.xlsx', ...args], { cwd: dir, env });
    expect(pushed.stdout).toContain('prebooks.xlsx');
    const [written] = await readSheet(path.join(dir, 'prebooks.xlsx'), 'Prebooks');
    expect(written).toMatchObject({ Status: 'OK', 'Prebook #': 'PB-000001' });
    const server = await t.ok(`{ prebooks(filter: { number: "PB-000001" }) { nodes { customer { code } lines { boxes } } } }`);
    expect(server.prebooks.nodes).toEqual([{ customer: { code: 'FRESHMART' }, lines: [{ boxes: 4 }] }]);
  }, 180_000);
});
