import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import * as schema from './schema';
import { processWideProvider, type Db } from './types';
import { retryTransactions } from './retry';
import { MIGRATIONS_FOLDER } from './migrations-folder';

/** Embedded Postgres (WASM) for `npm start` and the fast test project. Node only. */
export async function openPglite(dataDir?: string) {
  const client = dataDir ? new PGlite(dataDir) : new PGlite();
  await client.waitReady;
  // One connection: PGlite never deadlocks, but the same code path runs on both.
  const db = retryTransactions(drizzle({ client, schema }) as unknown as Db);
  await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
  return processWideProvider('pglite', db, () => client.close(), { client });
}
