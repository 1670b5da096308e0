// npm start: the GraphQL server on the embedded PostgreSQL (or DATABASE_URL).
// With STEMLINE_WORKERS above 1, this process prepares the database and runs the scheduler, and that
// many worker processes (node:cluster) serve HTTP on the one port: a Node process uses one core.
import cluster, { type Worker } from 'node:cluster';
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
import { startJobs, type RunningJobs } from './modules/jobs/jobs.runner';

const config = (() => {
  try {
    return readConfig();
  } catch (error) {
    console.error('Stemline failed to start:', error instanceof Error ? error.message : error);
    process.exit(1);
  }
})();
const logger = createLogger(config.logLevel);

/** How a worker learns the database the primary prepared. */
const WORKER_DATABASE_URL = 'STEMLINE_WORKER_DATABASE_URL';

let embedded: EmbeddedDatabase | undefined;
let orm: MikroORM | undefined;
let server: RunningServer | undefined;
let jobs: RunningJobs | undefined;
const workers = new Set<Worker>();
/** Set once every worker listens: from then on a worker that dies is replaced. */
let serving = false;
let stopping = false;

/** Stops a worker: it closes its server and connections; after 30 s it is killed. */
function stopWorker(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    if (worker.isDead()) return resolve();
    worker.once('exit', () => resolve());
    worker.send('stop');
    setTimeout(() => worker.process.kill('SIGKILL'), 30_000).unref();
  });
}

/** Stops whatever has started so far, newest first; no postgres is left behind. */
async function shutdown(reason: string, exitCode: number): Promise<void> {
  // A second signal while stopping changes nothing: the first one finishes the job.
  if (stopping) return;
  stopping = true;
  if (reason) console.log(`${reason}: stopping ...`);
  for (const step of [() => jobs?.stop(), () => Promise.all([...workers].map(stopWorker)), () => server?.close(), () => orm?.close(), () => embedded?.stop()]) {
    try {
      await step();
    } catch (error) {
      logger.error({ err: error }, 'error while stopping');
      exitCode ||= 1;
    }
  }
  process.exit(exitCode);
}

/** The database ready to serve: started (embedded), migrated, seeded on first start; the first token when one is made. */
async function prepareDatabase(): Promise<{ databaseUrl: string; demo: Awaited<ReturnType<typeof seedDemoCatalogue>> | null; initialSecret: string | null }> {
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
  return { databaseUrl, demo, initialSecret };
}

/** The HTTP server of this process on `serverOrm`. */
function serve(serverOrm: MikroORM): Promise<RunningServer> {
  const staticDir = fs.existsSync(config.addinDir) ? config.addinDir : undefined;
  const tls = config.tls && { cert: fs.readFileSync(config.tls.certFile), key: fs.readFileSync(config.tls.keyFile) };
  return listen({
    orm: serverOrm,
    logger,
    port: config.port,
    host: config.host,
    adminToken: config.adminToken,
    production: config.production,
    debugErrors: config.debugErrors,
    authFailuresPerMinute: config.authFailuresPerMinute,
    trustedProxies: config.trustedProxies,
    staticDir,
    graphiqlDir: config.graphiqlDir,
    tls,
  });
}

/** Forks one worker; resolves with its server's URL once it listens. A worker that dies while we run is replaced. */
function forkWorker(databaseUrl: string): Promise<string> {
  const worker = cluster.fork({ [WORKER_DATABASE_URL]: databaseUrl });
  workers.add(worker);
  return new Promise((resolve, reject) => {
    worker.on('message', (message: { ready?: string }) => {
      if (message?.ready) resolve(message.ready);
    });
    worker.once('exit', (code, signal) => {
      workers.delete(worker);
      reject(new Error(`a server worker exited with ${code ?? signal} while starting`));
      if (stopping || !serving) return;
      logger.error({ pid: worker.process.pid, code, signal }, 'a server worker exited; starting another');
      forkWorker(databaseUrl).catch((error: unknown) => logger.error({ err: error }, 'a replacement server worker failed to start'));
    });
  });
}

async function main(): Promise<void> {
  const { databaseUrl, demo, initialSecret } = await prepareDatabase();
  // On the embedded database, the first token is also kept beside the data (mode 0600) for `npm run demo`.
  const tokenFile = initialSecret && embedded ? path.join(config.dataDir, 'admin-token') : null;
  if (tokenFile) {
    // A new file each time (a file left from an earlier cluster may have another mode): readable by the owner only.
    fs.rmSync(tokenFile, { force: true });
    fs.writeFileSync(tokenFile, `${initialSecret}\n`, { mode: 0o600, flag: 'wx' });
  }
  let url: string;
  if (config.workers > 1) {
    const urls = await Promise.all(Array.from({ length: config.workers }, () => forkWorker(databaseUrl)));
    serving = true;
    url = urls[0];
  } else {
    server = await serve(orm!);
    url = server.url;
  }
  // The scheduled jobs run in this process only (not in the workers): pg-boss shares them out across the
  // processes of every server on the database.
  if (config.jobs) jobs = await startJobs(orm!, logger, databaseUrl, { schedules: config.jobSchedules });

  const lines = [
    embedded ? `Embedded PostgreSQL on 127.0.0.1:${embedded.port}` : 'Using the PostgreSQL of DATABASE_URL',
    fs.existsSync(config.addinDir) ? `Excel task pane at ${url}/taskpane.html` : 'Excel task pane not built (npm run build:addin)',
    config.tls ? `HTTPS with ${config.tls.certFile}` : 'Plain HTTP (Excel needs HTTPS: npx office-addin-dev-certs install, then restart)',
  ];
  if (config.workers > 1) lines.push(`${config.workers} server processes share the port (STEMLINE_WORKERS)`);
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
        ? `GraphiQL (development only) at ${url}/graphql in a browser; put your token in its Headers tab`
        : `GraphiQL (development only) not built: npm run build:graphiql, then open ${url}/graphql in a browser`,
    );
  }
  if (config.adminToken) lines.push('STEMLINE_ADMIN_TOKEN is accepted as an ADMIN token.');
  lines.push(`Stemline GraphQL server ready at ${url}/graphql`);
  console.log(lines.join('\n'));
}

/** A worker: its own connection pool and HTTP server on the database the primary prepared; the primary stops it. */
async function workerMain(): Promise<void> {
  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    try {
      await server?.close();
      await orm?.close();
    } finally {
      process.exit(0);
    }
  };
  // A terminal's Ctrl-C reaches every process of the group: the primary stops the workers in order.
  process.on('SIGINT', () => {});
  process.on('SIGHUP', () => {});
  process.on('SIGTERM', () => void close());
  process.on('message', (message) => message === 'stop' && void close());
  // The primary is gone (killed): nothing would stop this worker any more.
  process.on('disconnect', () => void close());
  orm = await initOrm(process.env[WORKER_DATABASE_URL]!);
  server = await serve(orm);
  process.send!({ ready: server.url });
}

if (cluster.isWorker) {
  workerMain().catch((error: unknown) => {
    console.error('Stemline server worker failed to start:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
} else {
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.on('SIGHUP', () => void shutdown('SIGHUP', 0));
  main().catch(async (error: unknown) => {
    console.error('Stemline failed to start:', error instanceof Error ? error.message : error);
    if (config.logLevel === 'debug' && error instanceof Error) console.error(error.stack);
    await shutdown('', 1);
  });
}
