import type { Connection } from '../api/graphql-client';

const KEY = 'stemline.connection';

export function loadConnection(storage: Storage, defaultServerUrl: string): Connection {
  try {
    const stored = JSON.parse(storage.getItem(KEY) ?? 'null') as Partial<Connection> | null;
    return { serverUrl: stored?.serverUrl || defaultServerUrl, token: stored?.token ?? '' };
  } catch {
    return { serverUrl: defaultServerUrl, token: '' };
  }
}

export function saveConnection(storage: Storage, connection: Connection): void {
  storage.setItem(KEY, JSON.stringify(connection));
}
