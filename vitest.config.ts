import { defineConfig } from 'vitest/config';
import { cloudflareTest } from '@cloudflare/vitest-plugin';

/**
 * `npm test` runs the same suites three ways (see README):
 *  - pglite:   Node + embedded PGlite (also runs Node-only tests, *.node.test.ts)
 *  - postgres: Node + real PostgreSQL through the Neon driver and a WebSocket proxy
 *              (also runs Node-only tests that need that PostgreSQL, *.pg.test.ts)
 *  - node-postgres: Node + the same PostgreSQL over TCP (node-postgres), as the Node server
 *              connects to one
 *  - workerd:  inside workerd (Cloudflare's runtime), Neon driver → the same PostgreSQL
 * and a browser project driving Chromium against the Node server.
 */
const shared = ['test/**/*.test.ts'];
const nodeOnly = ['test/**/*.node.test.ts', 'test/browser/**', 'test/workerd/**'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'pglite',
          include: shared,
          exclude: ['test/browser/**', 'test/workerd/**', 'test/**/*.pg.test.ts'],
          setupFiles: ['test/support/setup-log-capture.ts'],
          globalSetup: ['test/support/global-log-scan.ts'],
          provide: { dbKind: 'pglite' },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'postgres',
          include: shared,
          exclude: nodeOnly,
          setupFiles: ['test/support/setup-log-capture.ts'],
          globalSetup: ['test/support/global-postgres.ts'],
          provide: { dbKind: 'postgres' },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'node-postgres',
          include: shared,
          exclude: [...nodeOnly, 'test/**/*.pg.test.ts'],
          setupFiles: ['test/support/setup-log-capture.ts'],
          globalSetup: ['test/support/global-postgres.ts'],
          provide: { dbKind: 'node-postgres' },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [
          cloudflareTest(async ({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            // wrangler.toml's main is the custom build's output; tests run the sources.
            main: './src/worker.ts',
            miniflare: {
              bindings: {
                APP_ENV: 'test',
                APP_URL: 'http://localhost:8787',
                DATABASE_URL: inject<string>('pgWorkerUrl'),
                NEON_WS_PROXY: inject<string>('pgProxy'),
              },
            },
          })),
        ],
        test: {
          name: 'workerd',
          include: shared,
          exclude: ['test/**/*.node.test.ts', 'test/browser/**', 'test/**/*.pg.test.ts'],
          globalSetup: ['test/support/global-postgres.ts'],
          provide: { dbKind: 'workerd' },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          setupFiles: ['test/support/setup-log-capture.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
