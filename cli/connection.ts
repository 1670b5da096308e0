// Where stemline-sheet finds the server and its token, the way npm run demo
// does (server/src/demo/play-demo.ts): --server / STEMLINE_SERVER, else the
// server npm start runs on this machine (HTTPS, then HTTP, on localhost:$PORT
// or 4000); --token / STEMLINE_TOKEN, else the first ADMIN token npm start
// keeps in <data dir>/admin-token.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Connection } from '../addin/api/graphql-client';

export class ConnectionError extends Error {}

export interface FoundConnection extends Connection {
  /** Where the token came from, to say which one a server refused. */
  tokenFrom: string;
}

const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]', '::1'];

function isLocal(url: string): boolean {
  return LOCAL_HOSTS.includes(new URL(url).hostname);
}

/**
 * The parts of a fetch Response the clients read (status, ok, headers.get, json, text,
 * arrayBuffer), over node:http's answer. Not the global Response: making the first one loads
 * Node's fetch implementation, some 30 ms of every run of the tool.
 */
class LocalResponse {
  constructor(
    readonly status: number,
    private readonly body: Buffer,
    private readonly rawHeaders: http.IncomingHttpHeaders,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  readonly headers = {
    get: (name: string): string | null => {
      const value = this.rawHeaders[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
  };

  async text(): Promise<string> {
    return this.body.toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.body.toString('utf8'));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return this.body.buffer.slice(this.body.byteOffset, this.body.byteOffset + this.body.byteLength) as ArrayBuffer;
  }
}

/**
 * fetch over node:http(s). npm start serves HTTPS with office-addin-dev-certs'
 * certificate, whose CA Node does not know: on localhost only, it is accepted,
 * as npm run demo does.
 */
export const localFetch: typeof fetch = async (input, init) => {
  const target = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  // node:https (and TLS with it) only for an https server: a few ms of every run of the tool otherwise.
  const client = target.protocol === 'https:' ? (await import('node:https')).default : http;
  // Headers as the clients pass them (a plain object) are used as they are; anything else goes through Headers.
  const given = init?.headers;
  const headers =
    given && !Array.isArray(given) && Object.getPrototypeOf(given) === Object.prototype
      ? (given as Record<string, string>)
      : Object.fromEntries(new Headers(given).entries());
  const body = typeof init?.body === 'string' ? init.body : undefined;
  return new Promise<Response>((resolve, reject) => {
    const req = client.request(target, { method: init?.method ?? 'GET', headers, rejectUnauthorized: !isLocal(target.toString()) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(new LocalResponse(res.statusCode ?? 0, Buffer.concat(chunks), res.headers) as unknown as Response));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
};

async function answersHealth(base: string): Promise<boolean> {
  try {
    const response = await localFetch(`${base}/health`);
    return response.status === 200 || response.status === 503;
  } catch {
    return false;
  }
}

const HOW = 'pass --server URL and --token TOKEN (or set STEMLINE_SERVER and STEMLINE_TOKEN)';

/** The server and token to use; a ConnectionError says how to pass them when they cannot be found. */
export async function findConnection(options: { server?: string; token?: string }, env: NodeJS.ProcessEnv = process.env): Promise<FoundConnection> {
  const given = options.server ?? env.STEMLINE_SERVER;
  let serverUrl: string | undefined;
  if (given) {
    serverUrl = given.replace(/\/+$/, '').replace(/\/graphql$/, '');
  } else {
    const port = env.PORT || '4000';
    const candidates = [`https://localhost:${port}`, `http://localhost:${port}`];
    for (const base of candidates) {
      if (await answersHealth(base)) {
        serverUrl = base;
        break;
      }
    }
    if (!serverUrl) {
      throw new ConnectionError(`no Stemline server answers at ${candidates.join(' or ')}. Start one with npm start (PORT=${port}), or ${HOW}.`);
    }
  }

  const tokenFile = path.join(path.resolve(env.STEMLINE_DATA_DIR || '.data'), 'admin-token');
  let token: string;
  let tokenFrom: string;
  if (options.token) [token, tokenFrom] = [options.token, '--token'];
  else if (env.STEMLINE_TOKEN) [token, tokenFrom] = [env.STEMLINE_TOKEN, 'STEMLINE_TOKEN'];
  else if (fs.existsSync(tokenFile)) [token, tokenFrom] = [fs.readFileSync(tokenFile, 'utf8').trim(), tokenFile];
  else {
    throw new ConnectionError(`no API token: ${HOW}. npm start prints the first ADMIN token once and keeps it in ${tokenFile}; createApiToken makes more.`);
  }
  return { serverUrl, token, tokenFrom, fetch: isLocal(serverUrl) ? localFetch : undefined };
}
