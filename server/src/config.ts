import path from 'node:path';

export interface ServerConfig {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  pgPort?: number;
  adminToken?: string;
  logLevel: string;
  production: boolean;
  addinDir: string;
}

function parsePort(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} must be a port number (0-65535), got "${value}"`);
  }
  return port;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return {
    port: parsePort('PORT', env.PORT) ?? 4000,
    host: env.HOST || '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.STEMLINE_DATA_DIR || '.data'),
    pgPort: parsePort('STEMLINE_PG_PORT', env.STEMLINE_PG_PORT),
    adminToken: env.STEMLINE_ADMIN_TOKEN || undefined,
    logLevel: env.LOG_LEVEL || 'info',
    production: env.NODE_ENV === 'production',
    addinDir: path.resolve(env.STEMLINE_ADDIN_DIR || 'dist/addin'),
  };
}
