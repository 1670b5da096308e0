// The failed-authentication throttle's input from HTTP: the client address it counts by (its default limit is in common/authorization.ts). The
// counting itself is in PostgreSQL, shared by every server process (modules/auth: authenticate).
import type http from 'node:http';
import net from 'node:net';

/** `::ffff:10.0.0.1` and `10.0.0.1` are one address. */
function normalized(address: string): string {
  const trimmed = address.trim();
  return trimmed.startsWith('::ffff:') && net.isIPv4(trimmed.slice(7)) ? trimmed.slice(7) : trimmed.toLowerCase();
}

/** STEMLINE_TRUSTED_PROXIES: comma-separated addresses of the reverse proxies in front of the server. */
export function readTrustedProxies(value: string | undefined): string[] {
  if (!value?.trim()) return [];
  return value.split(',').map((entry) => {
    const address = normalized(entry);
    if (!net.isIP(address)) throw new Error(`STEMLINE_TRUSTED_PROXIES must list IP addresses separated by commas; "${entry.trim()}" is not one`);
    return address;
  });
}

/**
 * The address a request comes from: the socket's, or, when the socket is a trusted proxy, the last
 * address of X-Forwarded-For that is not itself a trusted proxy (each proxy appends the one it saw, so
 * the entries before it are the client's to forge).
 */
export function clientAddress(
  req: { headers: http.IncomingHttpHeaders; socket: Pick<net.Socket, 'remoteAddress'> },
  trustedProxies: readonly string[],
): string {
  const socket = normalized(req.socket.remoteAddress ?? 'unknown');
  if (!trustedProxies.includes(socket)) return socket;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map(normalized)
    .filter((hop) => hop !== '');
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!trustedProxies.includes(hops[i])) return net.isIP(hops[i]) ? hops[i] : socket;
  }
  return hops[0] ?? socket;
}
