import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_AUTH_FAILURES_PER_MINUTE } from './common/authorization';
import { readTrustedProxies } from './http/auth-throttle';
import cronParser from 'cron-parser';

export interface ServerConfig {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  /** Seed the demo catalogue on an empty database (STEMLINE_DEMO_DATA=off to skip). */
  demoData: boolean;
  pgPort?: number;
  adminToken?: string;
  /** Failed authentications an address, or a token prefix, may make per minute before it gets 429 (STEMLINE_AUTH_FAILURES_PER_MINUTE). */
  authFailuresPerMinute: number;
  /** Reverse proxies whose X-Forwarded-For names the client (STEMLINE_TRUSTED_PROXIES, comma-separated addresses). */
  trustedProxies: string[];
  logLevel: string;
  production: boolean;
  /** Internal errors shown as they are to callers: NODE_ENV=development or STEMLINE_DEBUG_ERRORS=1. */
  debugErrors: boolean;
  addinDir: string;
  /** The built GraphiQL page (dist/graphiql), served at /graphql to browsers: set only when NODE_ENV=development. */
  graphiqlDir?: string;
  /** Whether this process runs the scheduled jobs (STEMLINE_JOBS=off: it does not; another process may). */
  jobs: boolean;
  /**
   * Per job, a cron expression in the company's time zone replacing its default, or null: not scheduled
   * (STEMLINE_STANDING_ORDER_SCHEDULE, STEMLINE_CHANGE_FEED_RETENTION_SCHEDULE; `off`).
   */
  jobSchedules: Record<string, string | null>;
  /** Certificate and key for HTTPS; unset means plain HTTP. */
  tls?: { certFile: string; keyFile: string };
  /** Server processes sharing the port (STEMLINE_WORKERS: a number, or `auto` for one per CPU core); 1 runs everything in one process. */
  workers: number;
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

export const MIN_ADMIN_TOKEN_LENGTH = 32;

/** Distinct characters an admin token needs: "a" 32 times is long and guessable. */
export const MIN_ADMIN_TOKEN_DISTINCT = 8;

/** STEMLINE_ADMIN_TOKEN is an ADMIN password: one short enough to guess, or one nobody can send, is refused, not accepted. */
function readAdminToken(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const make = 'Make one with: openssl rand -base64 32. Or unset it: npm start then prints a first ADMIN token of its own.';
  if (/\s/.test(value)) {
    // A bearer token is read up to its first space and trimmed: a token with white space in it could never be sent.
    throw new Error(`STEMLINE_ADMIN_TOKEN holds white space (spaces, tabs or line breaks), which no Authorization header can carry. ${make}`);
  }
  if (value.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new Error(
      `STEMLINE_ADMIN_TOKEN is ${value.length} characters long; it must have at least ${MIN_ADMIN_TOKEN_LENGTH} (it is an ADMIN password). ${make}`,
    );
  }
  const distinct = new Set(value).size;
  if (distinct < MIN_ADMIN_TOKEN_DISTINCT) {
    throw new Error(
      `STEMLINE_ADMIN_TOKEN uses only ${distinct} different character${distinct === 1 ? '' : 's'}; it needs at least ${MIN_ADMIN_TOKEN_DISTINCT} (it is an ADMIN password). ${make}`,
    );
  }
  return value;
}

/** A whole-number setting of at least `min`; `rule` says what it must be when it is not. */
function readOnOff(name: string, value: string | undefined): boolean {
  if (value === undefined || value === '' || value === 'on') return true;
  if (value === 'off') return false;
  throw new Error(`${name} must be on or off, got "${value}"`);
}

function readWholeNumber(name: string, value: string | undefined, min: number, rule: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) throw new Error(`${name} must be ${rule}, got "${value}"`);
  return number;
}

/** The variables that name a job's schedule, by job. */
export const JOB_SCHEDULE_VARIABLES: Record<string, string> = {
  'standing-order-generation': 'STEMLINE_STANDING_ORDER_SCHEDULE',
  'change-feed-retention': 'STEMLINE_CHANGE_FEED_RETENTION_SCHEDULE',
};

/** Variables of the timers the scheduled jobs replaced: refused rather than silently ignored. */
const REPLACED_VARIABLES: Record<string, string> = {
  STEMLINE_STANDING_ORDER_INTERVAL_MS: 'STEMLINE_STANDING_ORDER_SCHEDULE',
  STEMLINE_CHANGE_FEED_PRUNE_INTERVAL_MS: 'STEMLINE_CHANGE_FEED_RETENTION_SCHEDULE',
};

function readJobSchedules(env: NodeJS.ProcessEnv): Record<string, string | null> {
  for (const [old, replacement] of Object.entries(REPLACED_VARIABLES)) {
    if (env[old] !== undefined && env[old] !== '') {
      throw new Error(`${old} is no longer read: set ${replacement} to a cron expression in the company's time zone (for example "*/15 * * * *"), or to off`);
    }
  }
  const schedules: Record<string, string | null> = {};
  for (const [job, name] of Object.entries(JOB_SCHEDULE_VARIABLES)) {
    const value = env[name]?.trim();
    if (!value) continue;
    if (value === 'off') {
      schedules[job] = null;
      continue;
    }
    const fields = value.split(/\s+/);
    let valid = fields.length === 5;
    try {
      if (valid) cronParser.parseExpression(value);
    } catch {
      valid = false;
    }
    if (!valid)
      throw new Error(`${name} must be a cron expression of five fields (minute hour day month weekday, for example "0 3 * * *"), or off; got "${value}"`);
    schedules[job] = value;
  }
  return schedules;
}

function readWorkers(value: string | undefined): number {
  if (value === 'auto') return os.availableParallelism();
  return readWholeNumber('STEMLINE_WORKERS', value, 1, 'a whole number of at least 1, or auto (one per CPU core)') ?? 1;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return {
    port: parsePort('PORT', env.PORT) ?? 4000,
    host: env.HOST || '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.STEMLINE_DATA_DIR || '.data'),
    pgPort: parsePort('STEMLINE_PG_PORT', env.STEMLINE_PG_PORT),
    adminToken: readAdminToken(env.STEMLINE_ADMIN_TOKEN),
    authFailuresPerMinute:
      readWholeNumber('STEMLINE_AUTH_FAILURES_PER_MINUTE', env.STEMLINE_AUTH_FAILURES_PER_MINUTE, 1, 'a whole number of at least 1') ??
      DEFAULT_AUTH_FAILURES_PER_MINUTE,
    trustedProxies: readTrustedProxies(env.STEMLINE_TRUSTED_PROXIES),
    logLevel: env.LOG_LEVEL || 'info',
    production: env.NODE_ENV === 'production',
    debugErrors: env.NODE_ENV === 'development' || env.STEMLINE_DEBUG_ERRORS === '1',
    addinDir: path.resolve(env.STEMLINE_ADDIN_DIR || 'dist/addin'),
    graphiqlDir: env.NODE_ENV === 'development' ? path.resolve('dist/graphiql') : undefined,
    tls: readTls(env),
    demoData: env.STEMLINE_DEMO_DATA !== 'off',
    jobs: readOnOff('STEMLINE_JOBS', env.STEMLINE_JOBS),
    jobSchedules: readJobSchedules(env),
    workers: readWorkers(env.STEMLINE_WORKERS),
  };
}
