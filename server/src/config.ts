import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ServerConfig {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  /** Seed the demo catalogue on an empty database (STEMLINE_DEMO_DATA=off to skip). */
  demoData: boolean;
  pgPort?: number;
  adminToken?: string;
  logLevel: string;
  production: boolean;
  /** Internal errors shown as they are to callers: NODE_ENV=development or STEMLINE_DEBUG_ERRORS=1. */
  debugErrors: boolean;
  addinDir: string;
  /** Certificate and key for HTTPS; unset means plain HTTP. */
  tls?: { certFile: string; keyFile: string };
}

/**
 * HTTPS from STEMLINE_TLS_CERT/STEMLINE_TLS_KEY, else from the localhost
 * certificate `npx office-addin-dev-certs install` leaves in ~/.office-addin-dev-certs.
 */
function readTls(env: NodeJS.ProcessEnv): ServerConfig['tls'] {
  if (env.STEMLINE_TLS === 'off') return undefined;
  if (env.STEMLINE_TLS_CERT || env.STEMLINE_TLS_KEY) {
    if (!env.STEMLINE_TLS_CERT || !env.STEMLINE_TLS_KEY) throw new Error('STEMLINE_TLS_CERT and STEMLINE_TLS_KEY go together');
    return { certFile: path.resolve(env.STEMLINE_TLS_CERT), keyFile: path.resolve(env.STEMLINE_TLS_KEY) };
  }
  const devCerts = path.join(os.homedir(), '.office-addin-dev-certs');
  const certFile = path.join(devCerts, 'localhost.crt');
  const keyFile = path.join(devCerts, 'localhost.key');
  return fs.existsSync(certFile) && fs.existsSync(keyFile) ? { certFile, keyFile } : undefined;
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
    debugErrors: env.NODE_ENV === 'development' || env.STEMLINE_DEBUG_ERRORS === '1',
    addinDir: path.resolve(env.STEMLINE_ADDIN_DIR || 'dist/addin'),
    tls: readTls(env),
    demoData: env.STEMLINE_DEMO_DATA !== 'off',
  };
}
