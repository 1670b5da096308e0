#!/usr/bin/env node
// Runs the TypeScript sheet tool through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/stemline-sheet.ts');
process.exit(await main(process.argv.slice(2)));
