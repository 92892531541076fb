import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import * as schema from './schema';
import { processWideProvider, type Db } from './types';
import { retryTransactions } from './retry';
import { MIGRATIONS_FOLDER } from './migrations-folder';

/**
 * PostgreSQL over plain TCP (node-postgres), for a long-lived Node server: any PostgreSQL,
 * Neon's included (its endpoints take ordinary TCP connections; `sslmode` in the URL). The Neon
 * driver's WebSocket is for Workers, which cannot open TCP sockets per request; in Node it only
 * adds a hop (and, for a self-hosted PostgreSQL, a proxy to run). A query's round trip on
 * loopback is ~0.1–0.15 ms this way against ~1.4 ms through the WebSocket proxy (bench/NOTES.md).
 * Same drizzle session, same type parsing, same transactions as the Neon driver (both are
 * node-postgres underneath). Node only: never imported by the Worker.
 */
export function nodePostgresProvider(connectionString: string, opts: { max?: number } = {}) {
  const pool = new pg.Pool({ connectionString, max: opts.max ?? 10 });
  // An idle connection dropped by the server is replaced on next use; it must not crash the process.
  pool.on('error', () => {});
  const db = retryTransactions(drizzle({ client: pool, schema }) as unknown as Db);
  return processWideProvider('postgres', db, () => pool.end(), { pool });
}

/** Applies migrations/ over a plain TCP connection (Node only). */
export async function migrateNodePostgres(connectionString: string) {
  const pool = new pg.Pool({ connectionString, max: 1 });
  pool.on('error', () => {});
  try {
    await migrate(drizzle({ client: pool }), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await pool.end();
  }
}
