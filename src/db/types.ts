import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';
import type * as schema from './schema';

/** A drizzle handle over PGlite (Node, local), the Neon driver (Workers) or node-postgres (Node server). */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Hands out a database for one request and releases it afterwards (one Neon pool per request). */
export interface DatabaseProvider {
  /** pglite: embedded (Node); neon: the Neon driver over WebSocket (Workers); postgres: node-postgres over TCP (Node server). */
  readonly kind: 'pglite' | 'neon' | 'postgres';
  acquire(): Promise<{ db: Db; release: () => Promise<void> }>;
}

/**
 * One handle for every request of a long-lived Node process (PGlite, or a server's pool): acquiring
 * hands out the same handle and releasing it does nothing; `close` ends it with the process.
 */
export function processWideProvider<K extends DatabaseProvider['kind'], X extends object>(kind: K, db: Db, close: () => Promise<void>, extra: X) {
  return { ...extra, kind, db, close, acquire: async () => ({ db, release: async () => {} }) };
}

/** Runs raw SQL and returns its rows, whichever driver is underneath. */
export async function queryRows<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
