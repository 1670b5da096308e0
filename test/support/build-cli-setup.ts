// The tests that run the sheet tool as a command (bin/stemline-sheet.js) run the bundle in
// dist/stemline-sheet: built here first whenever a source changed since the last build, so a test
// never runs a stale tool. A build that fails (a syntax error in a source being edited) is said and
// leaves no build: those tests then fail with the tool's refusal, and every other test still runs.
import { buildCliIfStale } from '../../scripts/build-cli';

export async function setup(): Promise<void> {
  try {
    await buildCliIfStale();
  } catch (error) {
    process.stderr.write(
      `\nThe sheet tool did not build (npm run build:cli); the tests that run it as a command will fail:\n${error instanceof Error ? error.message : String(error)}\n\n`,
    );
  }
}
