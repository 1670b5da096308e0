import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createApp, type App } from './app';
import { createHttpServer, type TlsFiles } from './http/http-server';
import type { Logger } from './logger';

export interface RunningServer {
  app: App;
  http: http.Server;
  url: string;
  close(): Promise<void>;
}

/** The app behind its HTTP server, listening. Used by main.ts and by the tests. */
export async function listen(options: {
  orm: MikroORM;
  logger: Logger;
  port: number;
  host: string;
  adminToken?: string;
  production?: boolean;
  debugErrors?: boolean;
  authFailuresPerMinute?: number;
  /** Reverse proxies whose X-Forwarded-For names the client (STEMLINE_TRUSTED_PROXIES). */
  trustedProxies?: readonly string[];
  staticDir?: string;
  /** Development only: the built GraphiQL page, served to browsers at /graphql. */
  graphiqlDir?: string;
  tls?: TlsFiles;
}): Promise<RunningServer> {
  const app = await createApp(options);
  const server = createHttpServer(
    {
      app,
      logger: options.logger,
      staticDir: options.staticDir,
      graphiqlDir: options.graphiqlDir,
      trustedProxies: options.trustedProxies,
      healthCheck: async () => {
        await options.orm.em.getConnection().execute('select 1');
      },
    },
    options.tls,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  return {
    app,
    http: server,
    url: `${options.tls ? 'https' : 'http'}://${shownHost}:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.apollo.stop();
    },
  };
}
