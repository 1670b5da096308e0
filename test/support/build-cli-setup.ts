// The tests that run the sheet tool as a command (bin/stemline-sheet.js) run the bundle in
// dist/stemline-sheet: built here first whenever a source changed since the last build, so a test
// never runs a stale tool.
import { buildCliIfStale } from '../../scripts/build-cli';

export async function setup(): Promise<void> {
  await buildCliIfStale();
}
