import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

// The task pane is served by the Stemline server itself (same origin as /graphql).
export default defineConfig({
  root: path.join(here, 'taskpane'),
  base: './',
  publicDir: path.join(here, 'assets'),
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: path.resolve(here, '../dist/addin'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: path.join(here, 'taskpane/taskpane.html'),
      onwarn(warning, warn) {
        // Fluent UI ships "use client" directives, meaningless in a client-only bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  logLevel: 'warn',
});
