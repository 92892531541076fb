import { Pool, neonConfig } from '@neondatabase/serverless';
import { drizzle } from 'drizzle-orm/neon-serverless';
import * as schema from './schema';
import { processWideProvider, type DatabaseProvider, type Db } from './types';
import { retryTransactions } from './retry';

/**
 * Local development and tests reach a plain PostgreSQL through a WebSocket-to-TCP proxy
 * (test/support/ws-proxy.ts). In production the Neon endpoint speaks WebSocket itself.
 */
export function configureNeonProxy(proxy: string | undefined) {
  if (!proxy) return;
  neonConfig.wsProxy = (host, port) => `${proxy}/v1?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
}

export function setNeonWebSocket(ctor: unknown) {
  neonConfig.webSocketConstructor = ctor as typeof WebSocket;
}

export function neonDb(pool: Pool): Db {
  return retryTransactions(drizzle({ client: pool, schema }) as unknown as Db);
}

/** One pool per acquire: Workers must not share sockets across requests. */
export function neonProvider(connectionString: string, opts: { max?: number } = {}): DatabaseProvider {
  return {
    kind: 'neon',
    async acquire() {
      const pool = new Pool({ connectionString, max: opts.max ?? 5 });
      pool.on('error', () => {
        /* a dropped idle socket is retried on next use; never crash the isolate */
      });
      return { db: neonDb(pool), release: () => pool.end() };
    },
  };
}

/** A long-lived pool for a Node process (server, scripts, benchmarks). */
export function sharedNeonProvider(connectionString: string, opts: { max?: number } = {}) {
  const pool = new Pool({ connectionString, max: opts.max ?? 10 });
  pool.on('error', () => {});
  const db = neonDb(pool);
  return processWideProvider('neon', db, () => pool.end(), { pool });
}
