// GraphQL over HTTP with node:http: no client-side timeout (fetch gives up after 300 s of silence,
// and confirming 100,000 boxes in one call may take longer on a 2-core machine).
import http from 'node:http';

/**
 * `url` is the GraphQL endpoint, as the server prints it. `newConnection`: on a connection of its own,
 * closed after it (a server of several processes hands each new connection to the next process).
 */
export async function graphql(
  url: string,
  token: string,
  query: string,
  variables?: Record<string, unknown>,
  options: { newConnection?: boolean } = {},
): Promise<any> {
  const body = JSON.stringify({ query, variables });
  const text = await new Promise<string>((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        ...(options.newConnection ? { agent: false } : {}),
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
  let parsed: { data?: any; errors?: unknown[] };
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`not a GraphQL response: ${text.slice(0, 500)}`);
  }
  if (parsed.errors?.length || !parsed.data) throw new Error(`GraphQL errors: ${text.slice(0, 2000)}`);
  return parsed.data;
}
