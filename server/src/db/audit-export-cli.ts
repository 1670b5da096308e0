// npm run audit:export -- --before YYYY-MM-DD [--out file.jsonl.gz] [--prune]
// The database is the one of withCommandDatabase.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AuditExportError, exportAuditTrail, parseExportDate } from './audit-export';
import { withCommandDatabase } from './command-database';

const USAGE =
  'Usage: npm run audit:export -- --before YYYY-MM-DD [--out file.jsonl.gz] [--prune]\n' +
  '       writes the audit events before that day (in the company time zone) to backups/ or --out;\n' +
  '       with --prune, deletes them from the database once the file is written and read back.';

async function main(): Promise<void> {
  let values: { before?: string; out?: string; prune?: boolean };
  let before: string;
  try {
    ({ values } = parseArgs({ options: { before: { type: 'string' }, out: { type: 'string' }, prune: { type: 'boolean' } } }));
    before = parseExportDate(values.before);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const out = values.out ?? path.join('backups', `audit-before-${before}.jsonl.gz`);
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  const result = await withCommandDatabase((url) => exportAuditTrail(url, out, { before, prune: values.prune }));
  console.log(`${result.exported} audit events before ${before} (${result.timeZone}) written to ${out}.`);
  if (values.prune) console.log(`${result.pruned} of them deleted from the database.`);
}

main().catch((error: unknown) => {
  console.error('audit export failed:', error instanceof Error ? error.message : error);
  process.exit(error instanceof AuditExportError ? 2 : 1);
});
