import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

// The development GraphiQL page (npm run build:graphiql). The server answers GET /graphql from a
// browser with index.html and serves the rest under /graphiql/, hence the absolute base.
export default defineConfig({
  root: here,
  base: '/graphiql/',
  publicDir: false,
  esbuild: { jsx: 'automatic' },
  worker: { format: 'es' },
  build: {
    outDir: path.resolve(here, '../../dist/graphiql'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 8000,
    rollupOptions: {
      input: path.join(here, 'index.html'),
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  logLevel: 'warn',
});
