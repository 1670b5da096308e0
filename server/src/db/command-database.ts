// The database an operator's command (backup, restore, audit export) works on: DATABASE_URL's, or the
// embedded one of STEMLINE_DATA_DIR (the running server's, or started here for the time of the command).
import { readConfig } from '../config';
import { runningEmbeddedUrl, startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres';

export async function withCommandDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
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
