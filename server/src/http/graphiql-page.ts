// The development GraphiQL page (NODE_ENV=development only): built by `npm run build:graphiql` from
// server/graphiql into dist/graphiql, every asset bundled from the graphiql npm package (no CDN).
import fs from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';

/** Where the page's scripts, styles and Monaco workers are served (Vite's `base` in server/graphiql/vite.config.ts). */
export const GRAPHIQL_ASSETS_PATH = '/graphiql/';

export const GRAPHIQL_NOT_BUILT = 'The GraphiQL page is not built yet: run npm run build:graphiql, then reload this page.';

/**
 * A browser opening /graphql: its Accept header names text/html. API clients (and GraphiQL's own
 * requests) ask for JSON or anything (*\/*), never for HTML.
 */
export function prefersHtml(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => {
    const [type, ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
    return type === 'text/html' && !parameters.some((parameter) => /^q=0(\.0*)?$/.test(parameter));
  });
}

/** The page itself (it needs no token); a plain-text hint when it has not been built. */
export async function serveGraphiqlPage(graphiqlDir: string, res: http.ServerResponse): Promise<void> {
  const page = await fs.readFile(path.join(graphiqlDir, 'index.html')).catch(() => null);
  // /graphql answers JSON or HTML depending on Accept: caches must keep them apart.
  const headers = { vary: 'Accept', 'cache-control': 'no-store' };
  if (!page) {
    res.writeHead(503, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
    res.end(`${GRAPHIQL_NOT_BUILT}\n`);
    return;
  }
  res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' });
  res.end(page);
}
