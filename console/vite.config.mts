// The console's build: Vite (Rolldown and Oxc inside, so JSX needs no plugin)
// into dist/console, which the API serves at `/`. Run by `npm run build`.
import path from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  publicDir: path.join(import.meta.dirname, 'public'),
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: path.join(import.meta.dirname, '..', 'dist', 'console'),
    emptyOutDir: true,
    // Intranet browsers are Chromium-based and recent enough; no legacy bundle.
    target: 'chrome111',
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      // react-jsonschema-form marks some modules 'use client' (for React Server Components); a plain page may ignore it.
      onLog(level, log, handler) {
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
});
