// npm run backup [-- --out file]      npm run restore -- <file>
// The database is DATABASE_URL's, or the embedded one of STEMLINE_DATA_DIR (the running server's, or
// started here for the time of the command).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readConfig } from '../config';
import { backupDatabase, restoreDatabase } from './backup';
import { runningEmbeddedUrl, startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' } } });
const [command, file] = positionals;

async function withDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const config = readConfig();
  if (config.databaseUrl) return work(config.databaseUrl);
  const running = await runningEmbeddedUrl(config.dataDir);
  if (running) return work(running);
  let embedded: EmbeddedDatabase | undefined;
  try {
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.pgPort });
    return await work(embedded.url);
  } finally {
    await embedded?.stop();
  }
}

async function main(): Promise<void> {
  const progress = (table: string, rows: number) => process.stderr.write(`\r${table}: ${rows} rows   `);
  if (command === 'backup') {
    const out = values.out ?? path.join('backups', `stemline-${new Date().toISOString().replace(/[:T]/g, '-').slice(0, 19)}.jsonl.gz`);
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    const counts = await withDatabase((url) => backupDatabase(url, out, progress));
    process.stderr.write('\n');
    console.log(`Backup written to ${out}: ${Object.values(counts).reduce((a, b) => a + b, 0)} rows in ${Object.keys(counts).length} tables.`);
  } else if (command === 'restore' && file) {
    const counts = await withDatabase((url) => restoreDatabase(file, url));
    console.log(`Restored ${file}: ${Object.values(counts).reduce((a, b) => a + b, 0)} rows (invoices: ${counts.invoice ?? 0}).`);
  } else {
    console.error(
      'Usage: npm run backup [-- --out file.jsonl.gz]\n       npm run restore -- <file.jsonl.gz>   (into an empty database: DATABASE_URL, or a new STEMLINE_DATA_DIR)',
    );
    process.exitCode = 2;
  }
}

main().catch((error: unknown) => {
  console.error(`${command ?? 'backup'} failed:`, error instanceof Error ? error.message : error);
  process.exit(1);
});
