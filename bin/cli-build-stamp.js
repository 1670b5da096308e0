// Whether dist/stemline-sheet holds a build of the sheet tool's current sources. The build
// (scripts/build-cli.ts) records every file it was made from with its modification time and a
// sha256 of its content; a file whose time moved (a checkout, a touch) is hashed again, so only a
// real change makes the build stale. Plain JavaScript: the checkout's bin checks it at every start.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The bundle and its stamp, relative to the repository. */
export const CLI_OUT_DIR = 'dist/stemline-sheet';
export const CLI_ENTRY = 'dist/stemline-sheet/stemline-sheet.mjs';
export const CLI_STAMP = 'dist/stemline-sheet.build.json';

export function sha256(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** The sources (relative to root) that differ from the build's, or undefined when the build is current; ['(no build)'] without one. */
export function staleCliSources(root) {
  let inputs;
  try {
    inputs = JSON.parse(fs.readFileSync(path.join(root, CLI_STAMP), 'utf8')).inputs;
    if (!fs.existsSync(path.join(root, CLI_ENTRY))) return ['(no build)'];
  } catch {
    return ['(no build)'];
  }
  const changed = Object.entries(inputs).filter(([file, recorded]) => {
    const full = path.join(root, file);
    try {
      return fs.statSync(full).mtimeMs !== recorded.mtimeMs && sha256(full) !== recorded.sha256;
    } catch {
      return true;
    }
  });
  return changed.length ? changed.map(([file]) => file) : undefined;
}
