/** Where the task pane talks to, and with which token. Kept in the browser's local storage. */
export interface Connection {
  serverUrl: string;
  token: string;
  /** How to send requests; the global fetch when left out (the CLI passes one that accepts npm start's local certificate). */
  fetch?: typeof fetch;
}

export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** POSTs one GraphQL operation; throws GraphQLRequestError on HTTP or GraphQL errors. */
export async function request<T>(
  connection: Connection,
  query: string,
  variables?: Record<string, unknown>,
  fetchImpl: typeof fetch = connection.fetch ?? fetch,
): Promise<T> {
  const endpoint = new URL('/graphql', connection.serverUrl).toString();
  let response: Response;
  try {
    response = await fetchImpl(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${connection.token}` },
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw new GraphQLRequestError(`Cannot reach ${endpoint}: ${error instanceof Error ? error.message : String(error)}`, 0);
  }
  const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  if (body.errors?.length) {
    const [first] = body.errors;
    throw new GraphQLRequestError(first.message, response.status, first.extensions?.code);
  }
  if (!response.ok || !body.data) throw new GraphQLRequestError(`Server answered HTTP ${response.status}`, response.status);
  return body.data;
}

export interface ConnectionCheck {
  role: string;
  name: string;
  autoBilling: string | null;
}

/** The task pane's "Test connection": who the token is, and a read of the settings when the role may. */
export async function testConnection(connection: Connection, fetchImpl: typeof fetch = fetch): Promise<ConnectionCheck> {
  const { me } = await request<{ me: { role: string; name: string } }>(connection, '{ me { role name } }', undefined, fetchImpl);
  if (me.role === 'CUSTOMER') return { ...me, autoBilling: null };
  const { settings } = await request<{ settings: { autoBilling: string } }>(connection, '{ settings { autoBilling } }', undefined, fetchImpl);
  return { ...me, autoBilling: settings.autoBilling };
}
