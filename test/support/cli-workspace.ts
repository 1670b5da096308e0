// What every stemline-sheet test starts from: a test server with the demo catalogue, a temporary
// folder for its workbooks and the tool's connection arguments.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { seedCatalogue } from './fixtures';
import { startTestServer, type TestServer } from './test-server';

export async function startCliWorkspace(folderPrefix: string): Promise<{ t: TestServer; dir: string; args: string[] }> {
  const t = await startTestServer();
  await seedCatalogue(t);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), folderPrefix));
  return { t, dir, args: ['--server', t.url, '--token', t.adminToken] };
}

export async function closeCliWorkspace(t: TestServer, dir: string): Promise<void> {
  await t.close();
  await fs.rm(dir, { recursive: true, force: true });
}
