import { parseConfig } from '../src/config/config';
import { migrateFromNode } from '../src/db/node-connect';

/**
 * `npm run db:migrate`: applies migrations/ to DATABASE_URL, over plain TCP (any PostgreSQL, Neon
 * included), or through the Neon driver and NEON_WS_PROXY when that is set (as the Node server does).
 */
const config = parseConfig(process.env);
if (!config.DATABASE_URL) {
  console.error('DATABASE_URL: is required for db:migrate');
  process.exit(1);
}
await migrateFromNode(config.DATABASE_URL, config.NEON_WS_PROXY);
console.log('Migrations applied.');
