// The task pane built with Vite, served by a real test server, in headless Debian Chromium.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { seedCatalogue } from './fixtures';
import { startTestServer, type TestServer } from './test-server';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface TaskpaneHarness {
  t: TestServer;
  browser: Browser;
  close(): Promise<void>;
}

export async function startTaskpaneHarness(): Promise<TaskpaneHarness> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}. Install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH; .ci/run installs it in CI.`);
  }
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stemline-addin-'));
  await build({ configFile: 'addin/vite.config.ts', logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  const t = await startTestServer({ staticDir: outDir });
  await seedCatalogue(t);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  fs.mkdirSync('test-results', { recursive: true });
  return {
    t,
    browser,
    async close() {
      await browser.close();
      await t.close();
      fs.rmSync(outDir, { recursive: true, force: true });
    },
  };
}
