#!/usr/bin/env node
// The installed command's entry point: what `npm run build:cli` bundles into dist/stemline-sheet.
import { main } from './stemline-sheet';

/** The package's version, written in by the build (scripts/build-cli.ts). */
declare const STEMLINE_SHEET_VERSION: string;

if (process.argv[2] === '--version') {
  console.log(`stemline-sheet ${STEMLINE_SHEET_VERSION}`);
  process.exit(0);
}
process.exit(await main(process.argv.slice(2)));
