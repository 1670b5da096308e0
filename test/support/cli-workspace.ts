// What every stemline-sheet test starts from: a test server with the demo catalogue, a temporary
// folder for its workbooks and the tool's connection arguments.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';
import { main } from '../../cli/stemline-sheet';
import { setCompanyClock } from '../../server/src/common/today';
import { seedCatalogue } from './fixtures';
import { startTestServer, type TestServer } from './test-server';

/**
 * The company's today in the sheet tool's tests: their workbooks carry fixed truck dates (2027-02-10 ...),
 * and the tool refuses a new prebook's truck date before today, so the server's today is fixed here.
 */
export const FIXTURE_TODAY = '2026-12-07';

export async function startCliWorkspace(folderPrefix: string): Promise<{ t: TestServer; dir: string; args: string[] }> {
  setCompanyClock(() => new Date(`${FIXTURE_TODAY}T12:00:00Z`));
  const t = await startTestServer();
  await seedCatalogue(t);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), folderPrefix));
  return { t, dir, args: ['--server', t.url, '--token', t.adminToken] };
}

export async function closeCliWorkspace(t: TestServer, dir: string): Promise<void> {
  setCompanyClock(null);
  await t.close();
  await fs.rm(dir, { recursive: true, force: true });
}

/** Runs the sheet tool in this process and returns its exit code and what it printed. */
export async function runCli(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...parts) => void lines.push(parts.join(' ')));
  try {
    return { code: await main(args), out: lines.join('\n') };
  } finally {
    log.mockRestore();
  }
}
