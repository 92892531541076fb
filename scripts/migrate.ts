import WebSocket from 'ws';
import { parseConfig } from '../src/config/config';
import { configureNeonProxy, setNeonWebSocket } from '../src/db/neon';
import { migrateNeon } from '../src/db/migrate-neon';

/** `npm run db:migrate`: applies migrations/ to DATABASE_URL (Neon, or Postgres via NEON_WS_PROXY). */
const config = parseConfig(process.env);
if (!config.DATABASE_URL) {
  console.error('DATABASE_URL: is required for db:migrate');
  process.exit(1);
}
setNeonWebSocket(WebSocket);
configureNeonProxy(config.NEON_WS_PROXY);
await migrateNeon(config.DATABASE_URL);
console.log('Migrations applied.');
