// GraphiQL for development (NODE_ENV=development): the server serves this page at GET /graphql to a
// browser. Every asset comes from the graphiql npm package, bundled by Vite; nothing from a CDN.
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createRoot } from 'react-dom/client';

const fetcher = createGraphiQLFetcher({ url: new URL('/graphql', window.location.href).href });

// Queries need a token as every API call does; the page itself needs none. The headers editor is open
// with the line to complete; GraphiQL keeps headers in the browser only if its settings say so. The
// schema GraphiQL asks for on opening goes without headers (it answers 401): hence step 2 below.
const DEFAULT_HEADERS = `{
  "Authorization": "Bearer <paste your API token here>"
}`;

const DEFAULT_QUERY = `# Stemline GraphQL API (development only)
#
# 1. In the Headers tab below, replace the placeholder
#    with your API token (npm start prints the first
#    ADMIN token; createApiToken makes more).
# 2. Re-fetch the schema (the circling arrows, bottom
#    left) for the Docs and autocompletion.
# 3. Run with Ctrl-Enter or the pink button.

{
  me {
    role
  }
}
`;

createRoot(document.getElementById('root')!).render(
  <GraphiQL fetcher={fetcher} defaultHeaders={DEFAULT_HEADERS} defaultQuery={DEFAULT_QUERY} defaultEditorToolsVisibility="headers" />,
);
