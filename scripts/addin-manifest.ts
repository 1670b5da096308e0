// npm run addin:manifest -- --url https://stemline.example.com[:port] [--out file.xml]
// Writes the Excel add-in manifest for a server other than this machine's
// (manifest.xml, committed, stays on https://localhost:4000).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const COMMITTED_ORIGIN = 'https://localhost:4000';

/** The origin (scheme, host, port) the add-in will load from; Excel loads task panes over HTTPS only. */
export function addinOrigin(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`"${url}" is not a URL: give one such as https://stemline.example.com:4000`);
  }
  if (parsed.protocol !== 'https:')
    throw new Error(`Excel loads add-ins over HTTPS only: use https://${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`);
  if (parsed.pathname !== '/' || parsed.search || parsed.hash) throw new Error(`give the server's address only (https://${parsed.host}), not a page of it`);
  return parsed.origin;
}

/** The committed manifest with every URL on the given origin instead of https://localhost:4000. */
export function manifestFor(committed: string, url: string): string {
  const origin = addinOrigin(url);
  if (!committed.includes(COMMITTED_ORIGIN)) throw new Error(`manifest.xml does not point at ${COMMITTED_ORIGIN}: nothing to replace`);
  return committed.split(COMMITTED_ORIGIN).join(origin);
}

function main(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { url: { type: 'string' }, out: { type: 'string' } } });
  if (!values.url) {
    console.error(
      'Usage: npm run addin:manifest -- --url https://host[:port] [--out file.xml]\n(the server that serves /taskpane.html; the committed manifest.xml stays on localhost)',
    );
    return 2;
  }
  try {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
    const xml = manifestFor(fs.readFileSync(path.join(root, 'manifest.xml'), 'utf8'), values.url);
    const host = new URL(values.url).host.replace(/[^A-Za-z0-9.-]/g, '-');
    const out = path.resolve(values.out ?? path.join(root, 'dist', `manifest-${host}.xml`));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, xml);
    console.log(
      `${out}: the Stemline add-in on ${addinOrigin(values.url)}. Sideload it with: npx office-addin-debugging start ${path.relative(process.cwd(), out)}`,
    );
    return 0;
  } catch (error) {
    console.error(`addin:manifest: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exit(main(process.argv.slice(2)));
