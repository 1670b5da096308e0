// npm run backup [-- --out file]      npm run restore -- <file> [--replace [--out safety-file]]
// The database is the one of withCommandDatabase.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { backupDatabase, restoreDatabase, RestoreRefusedError } from './backup';
import { withCommandDatabase as withDatabase } from './command-database';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' }, replace: { type: 'boolean' } } });
const [command, file] = positionals;

async function main(): Promise<void> {
  const progress = (table: string, rows: number) => process.stderr.write(`\r${table}: ${rows} rows   `);
  if (command === 'backup') {
    const out = values.out ?? path.join('backups', `stemline-${new Date().toISOString().replace(/[:T]/g, '-').slice(0, 19)}.jsonl.gz`);
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    const counts = await withDatabase((url) => backupDatabase(url, out, progress));
    process.stderr.write('\n');
    console.log(`Backup written to ${out}: ${Object.values(counts).reduce((a, b) => a + b, 0)} rows in ${Object.keys(counts).length} tables.`);
  } else if (command === 'restore' && file) {
    // With --replace, what the database holds is saved here first (the file is only written when it holds data).
    const safetyFile = values.out ?? path.join('backups', `stemline-replaced-${new Date().toISOString().replace(/[:T]/g, '-').slice(0, 19)}.jsonl.gz`);
    if (values.replace) fs.mkdirSync(path.dirname(path.resolve(safetyFile)), { recursive: true });
    const counts = await withDatabase((url) => restoreDatabase(file, url, values.replace ? { replace: { safetyFile } } : {}));
    if (values.replace && fs.existsSync(safetyFile))
      console.log(`What the database held before was saved to ${safetyFile} (npm run restore -- ${safetyFile} --replace puts it back).`);
    console.log(`Restored ${file}: ${Object.values(counts).reduce((a, b) => a + b, 0)} rows (invoices: ${counts.invoice ?? 0}).`);
  } else {
    console.error(
      'Usage: npm run backup [-- --out file.jsonl.gz]\n       npm run restore -- <file.jsonl.gz> [--replace]   (into an empty database: DATABASE_URL, or a new STEMLINE_DATA_DIR;\n       --replace replaces a database that holds data, after saving it to backups/ or --out)',
    );
    process.exitCode = 2;
  }
}

main().catch((error: unknown) => {
  console.error(`${command ?? 'backup'} failed:`, error instanceof Error ? error.message : error);
  process.exit(error instanceof RestoreRefusedError ? 3 : 1);
});
