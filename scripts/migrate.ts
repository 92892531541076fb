import WebSocket from 'ws';
import { parseConfig } from '../src/config/config';
import { configureNeonProxy, setNeonWebSocket } from '../src/db/neon';
import { migrateNeon } from '../src/db/migrate-neon';
import { migrateNodePostgres } from '../src/db/node-postgres';

/**
 * `npm run db:migrate`: applies migrations/ to DATABASE_URL, over plain TCP (any PostgreSQL, Neon
 * included), or through the Neon driver and NEON_WS_PROXY when that is set (as the Node server does).
 */
const config = parseConfig(process.env);
if (!config.DATABASE_URL) {
  console.error('DATABASE_URL: is required for db:migrate');
  process.exit(1);
}
if (config.NEON_WS_PROXY) {
  setNeonWebSocket(WebSocket);
  configureNeonProxy(config.NEON_WS_PROXY);
  await migrateNeon(config.DATABASE_URL);
} else {
  await migrateNodePostgres(config.DATABASE_URL);
}
console.log('Migrations applied.');
