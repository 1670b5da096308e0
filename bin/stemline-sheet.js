#!/usr/bin/env node
// The sheet tool in a checkout of the repository (`npx stemline-sheet`): runs the bundle that
// `npm run build:cli` makes in dist/stemline-sheet (npm install, npm start, npm test and the bench build it too), the
// same files a buyer installs from `npm run pack:sheet`. A bundle older than its sources is refused,
// never run: what runs is always what the sources say.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI_ENTRY, staleCliSources } from './cli-build-stamp.js';

const root = path.resolve(import.meta.dirname, '..');
const stale = staleCliSources(root);
if (stale) {
  const built = path.dirname(CLI_ENTRY);
  const what =
    stale[0] === '(no build)'
      ? `${built} has no build of the tool`
      : `the tool's build in ${built} is older than ${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ` and ${stale.length - 3} more` : ''}`;
  process.stderr.write(`stemline-sheet: ${what}: run npm run build:cli (in ${root}) and try again.\n`);
  process.exit(1);
}
await import(pathToFileURL(path.join(root, CLI_ENTRY)).href);
