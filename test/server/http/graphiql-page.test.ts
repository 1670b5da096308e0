// The development GraphiQL page: built once here with Vite (as npm run build:graphiql does), served by
// test servers configured as NODE_ENV=development and NODE_ENV=production would configure them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../../server/src/config';
import { GRAPHIQL_NOT_BUILT, prefersHtml } from '../../../server/src/http/graphiql-page';
import { launchChromium } from '../../../scripts/taskpane-browser';
import { startTestServer, type TestServer } from '../../support/test-server';

/** What a Monaco editor shows (it renders spaces as no-break spaces). */
async function editorText(editor: Locator): Promise<string> {
  return (await editor.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
}

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

describe('prefersHtml', () => {
  it('is true for what a browser sends when it opens a page, false for API clients', () => {
    expect(prefersHtml(BROWSER_ACCEPT)).toBe(true);
    expect(prefersHtml('TEXT/HTML')).toBe(true);
    expect(prefersHtml(undefined)).toBe(false);
    expect(prefersHtml('*/*')).toBe(false);
    expect(prefersHtml('application/graphql-response+json, application/json, multipart/mixed')).toBe(false);
    expect(prefersHtml('application/json, text/html;q=0')).toBe(false);
  });
});

describe('GraphiQL only in development', () => {
  it('NODE_ENV=development alone gives the server a GraphiQL page', () => {
    expect(readConfig({ NODE_ENV: 'development' }).graphiqlDir).toBe(path.resolve('dist/graphiql'));
    for (const nodeEnv of ['production', 'test', 'staging', undefined]) expect(readConfig({ NODE_ENV: nodeEnv }).graphiqlDir).toBeUndefined();
  });
});

describe('GraphiQL page', () => {
  let outDir: string;
  let development: TestServer;
  let production: TestServer;
  let unbuilt: TestServer;
  /** Neither development nor production (NODE_ENV unset or test). */
  let other: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stemline-graphiql-'));
    await build({ configFile: 'server/graphiql/vite.config.ts', logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    development = await startTestServer({ graphiqlDir: outDir });
    production = await startTestServer({
      databaseUrl: development.databaseUrl,
      production: true,
      graphiqlDir: readConfig({ NODE_ENV: 'production' }).graphiqlDir,
    });
    other = await startTestServer({ databaseUrl: development.databaseUrl, graphiqlDir: readConfig({}).graphiqlDir });
    unbuilt = await startTestServer({ databaseUrl: development.databaseUrl, graphiqlDir: path.join(outDir, 'nothing-here') });
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await unbuilt?.close();
    await other?.close();
    await production?.close();
    await development?.close();
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  it('in development, a browser opening /graphql gets the GraphiQL page without a token, and its assets', async () => {
    const response = await fetch(`${development.url}/graphql`, { headers: { accept: BROWSER_ACCEPT } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('vary')).toBe('Accept');
    const html = await response.text();
    expect(html).toContain('<title>Stemline GraphiQL (development)</title>');

    // Every script and style of the page comes from this server, none from a CDN.
    const sources = [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(sources.length).toBeGreaterThanOrEqual(2);
    for (const source of sources) expect(source).toMatch(/^\/graphiql\/assets\//);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);

    const script = sources.find((source) => source.endsWith('.js'))!;
    const asset = await fetch(`${development.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await asset.text()).length).toBeGreaterThan(100_000);
    expect((await fetch(`${development.url}/graphiql/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
  });

  it('in development, API requests to /graphql are answered as before, behind the token', async () => {
    // GraphiQL's own requests ask for JSON: they reach the API, which still wants a token.
    const anonymous = await fetch(`${development.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json, multipart/mixed' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(anonymous.status).toBe(401);
    expect(await development.ok('{ __typename }')).toEqual({ __typename: 'Query' });
    const get = await fetch(`${development.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { authorization: `Bearer ${development.adminToken}`, 'apollo-require-preflight': 'true' },
    });
    expect(await get.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('in production (or any NODE_ENV but development), a browser opening /graphql gets no GraphiQL nor Apollo landing page, with or without a token', async () => {
    for (const server of [production, other]) {
      const anonymous = await fetch(`${server.url}/graphql`, { headers: { accept: BROWSER_ACCEPT } });
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('content-type')).toContain('application/json');
      expect(await anonymous.text()).not.toContain('GraphiQL');

      // Apollo would answer this with its landing page (Apollo Sandbox, from Apollo's CDN) unless it is turned off.
      const withToken = await fetch(`${server.url}/graphql`, { headers: { accept: BROWSER_ACCEPT, authorization: `Bearer ${server.adminToken}` } });
      expect(withToken.headers.get('content-type')).not.toContain('text/html');
      expect(await withToken.text()).not.toMatch(/graphiql|<html|cdn/i);
      expect(withToken.status).toBe(400);

      expect((await fetch(`${server.url}/graphiql/index.html`)).status).toBe(404);
    }
  });

  it('in development before npm run build:graphiql, the browser is told how to build the page', async () => {
    const response = await fetch(`${unbuilt.url}/graphql`, { headers: { accept: BROWSER_ACCEPT } });
    expect(response.status).toBe(503);
    expect(await response.text()).toBe(`${GRAPHIQL_NOT_BUILT}\n`);
  });

  it('renders in Chromium from this server alone and runs a query with the token put in its Headers tab', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const foreign: string[] = [];
    const pageErrors: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(development.url) && !request.url().startsWith('blob:') && !request.url().startsWith('data:')) foreign.push(request.url());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      await page.goto(`${development.url}/graphql`);
      const queryEditor = page.locator('.graphiql-query-editor .monaco-editor').first();
      await queryEditor.waitFor({ timeout: 60_000 });
      // The headers editor is open with the Authorization line to complete.
      const headersEditor = page.locator('.graphiql-editor-tool .monaco-editor').last();
      await expect.poll(() => editorText(headersEditor), { timeout: 30_000 }).toContain('Bearer');

      // As a user would: select the placeholder and paste the token over it.
      await headersEditor.click();
      await page.keyboard.press('ControlOrMeta+Home');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowLeft');
      for (const _ of '<paste your API token here>') await page.keyboard.press('Shift+ArrowLeft');
      await page.keyboard.insertText(development.adminToken);
      await expect.poll(() => editorText(headersEditor)).toContain(`Bearer ${development.adminToken}"`);
      // Monaco closes the brace itself.
      await queryEditor.click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type('{ __typename');
      // Monaco's suggestion list can open (or reopen) over the execute button as typing settles: closed until gone.
      await expect
        .poll(async () => {
          await page.keyboard.press('Escape');
          return page.locator('.suggest-widget.visible').count();
        })
        .toBe(0);
      // The editor's suggestions can open again after the poll (a late keystroke's): sent to the button itself,
      // the click cannot land on them.
      await page.locator('.graphiql-execute-button').dispatchEvent('click');

      await expect.poll(() => editorText(page.locator('.graphiql-response .monaco-editor')), { timeout: 30_000 }).toMatch(/"__typename":\s*"Query"/);

      // The schema loaded on opening was asked without a token; re-fetched with it, the Docs list the root types.
      await page.locator('[aria-label^="Re-fetch GraphQL schema"]').click();
      await page.locator('[aria-label="Show Documentation Explorer"]').click();
      await expect
        .poll(() => page.locator('.graphiql-doc-explorer').innerText(), { timeout: 30_000 })
        .toMatch(/Root Types[\s\S]*query: Query[\s\S]*mutation: Mutation/);
      fs.mkdirSync('test-results', { recursive: true });
      await page.screenshot({ path: 'test-results/graphiql.png' });
      expect(foreign).toEqual([]);
      expect(pageErrors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);
});
