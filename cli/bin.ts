#!/usr/bin/env node
// The installed command's entry point: what `npm run build:cli` bundles into dist/stemline-sheet/.
import { main } from './stemline-sheet';

process.exit(await main(process.argv.slice(2)));
