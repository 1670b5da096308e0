// npm start: the GraphQL server on the embedded PostgreSQL (or DATABASE_URL).
import fs from 'node:fs';
import type { MikroORM } from '@mikro-orm/postgresql';
import { readConfig } from './config';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded-postgres';
import { initOrm, migrate } from './db/orm';
import { createLogger } from './logger';
import { ensureInitialAdminToken } from './modules/auth/auth.service';
import { seedDemoCatalogue } from './demo/demo-catalogue';
import path from 'node:path';
import { listen, type RunningServer } from './server';
import { startStandingOrderScheduler } from './modules/standing-order/standing-order.scheduler';

const config = (() => {
  try {
    return readConfig();
  } catch (error) {
    console.error('Stemline failed to start:', error instanceof Error ? error.message : error);
    process.exit(1);
  }
})();
const logger = createLogger(config.logLevel);

let embedded: EmbeddedDatabase | undefined;
let orm: MikroORM | undefined;
let server: RunningServer | undefined;
let scheduler: { stop(): void } | undefined;
let stopping = false;

/** Stops whatever has started so far, newest first; no postgres is left behind. */
async function shutdown(reason: string, exitCode: number): Promise<void> {
  // A second signal while stopping changes nothing: the first one finishes the job.
  if (stopping) return;
  stopping = true;
  if (reason) console.log(`${reason}: stopping ...`);
  scheduler?.stop();
  for (const step of [() => server?.close(), () => orm?.close(), () => embedded?.stop()]) {
    try {
      await step();
    } catch (error) {
      logger.error({ err: error }, 'error while stopping');
      exitCode ||= 1;
    }
  }
  process.exit(exitCode);
}

process.on('SIGINT', () => void shutdown('SIGINT', 0));
process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
process.on('SIGHUP', () => void shutdown('SIGHUP', 0));

async function main(): Promise<void> {
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    console.log(`Starting the embedded PostgreSQL (data in ${config.dataDir}) ...`);
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.pgPort,
      onLog: (message) => logger.debug({ postgres: message }),
    });
    databaseUrl = embedded.url;
  }

  orm = await initOrm(databaseUrl);
  await migrate(orm);

  const demo = config.demoData ? await seedDemoCatalogue(orm, logger) : null;
  const initialSecret = config.adminToken ? null : await ensureInitialAdminToken(orm.em);
  // On the embedded database, the first token is also kept beside the data (mode 0600) for `npm run demo`.
  const tokenFile = initialSecret && embedded ? path.join(config.dataDir, 'admin-token') : null;
  if (tokenFile) {
    // A new file each time (a file left from an earlier cluster may have another mode): readable by the owner only.
    fs.rmSync(tokenFile, { force: true });
    fs.writeFileSync(tokenFile, `${initialSecret}\n`, { mode: 0o600, flag: 'wx' });
  }
  const staticDir = fs.existsSync(config.addinDir) ? config.addinDir : undefined;
  const tls = config.tls && { cert: fs.readFileSync(config.tls.certFile), key: fs.readFileSync(config.tls.keyFile) };
  server = await listen({
    orm,
    logger,
    port: config.port,
    host: config.host,
    adminToken: config.adminToken,
    production: config.production,
    debugErrors: config.debugErrors,
    authFailuresPerMinute: config.authFailuresPerMinute,
    staticDir,
    graphiqlDir: config.graphiqlDir,
    tls,
  });
  scheduler = startStandingOrderScheduler(orm, logger, config.standingOrderIntervalMs);

  const lines = [
    embedded ? `Embedded PostgreSQL on 127.0.0.1:${embedded.port}` : 'Using the PostgreSQL of DATABASE_URL',
    staticDir ? `Excel task pane at ${server.url}/taskpane.html` : 'Excel task pane not built (npm run build:addin)',
    tls ? `HTTPS with ${config.tls!.certFile}` : 'Plain HTTP (Excel needs HTTPS: npx office-addin-dev-certs install, then restart)',
  ];
  if (demo?.seeded)
    lines.push(
      `Demo data seeded on the empty database (${Object.entries(demo.counts)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ')}); npm run demo plays the production flow.`,
    );
  if (initialSecret) {
    lines.push(
      '',
      'A first ADMIN API token was created. It is shown only this once; keep it:',
      `  ${initialSecret}`,
      'Send it as "Authorization: Bearer <token>"; createApiToken makes more.',
      ...(tokenFile ? [`(also saved in ${tokenFile}, readable by you only, for npm run demo)`] : []),
      '',
    );
  }
  if (config.graphiqlDir) {
    lines.push(
      fs.existsSync(path.join(config.graphiqlDir, 'index.html'))
        ? `GraphiQL (development only) at ${server.url}/graphql in a browser; put your token in its Headers tab`
        : `GraphiQL (development only) not built: npm run build:graphiql, then open ${server.url}/graphql in a browser`,
    );
  }
  if (config.adminToken) lines.push('STEMLINE_ADMIN_TOKEN is accepted as an ADMIN token.');
  lines.push(`Stemline GraphQL server ready at ${server.url}/graphql`);
  console.log(lines.join('\n'));
}

main().catch(async (error: unknown) => {
  console.error('Stemline failed to start:', error instanceof Error ? error.message : error);
  if (config.logLevel === 'debug' && error instanceof Error) console.error(error.stack);
  await shutdown('', 1);
});
