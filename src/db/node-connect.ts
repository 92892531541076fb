import WebSocket from 'ws';
import { configureNeonProxy, setNeonWebSocket, sharedNeonProvider } from './neon';
import { migrateNeon } from './migrate-neon';
import { migrateNodePostgres, nodePostgresProvider } from './node-postgres';

/**
 * How a Node process (the server, `db:migrate`) reaches DATABASE_URL: over plain TCP, or, when
 * NEON_WS_PROXY is set, through the Neon driver and that WebSocket proxy, as the Worker does.
 * Node only.
 */
function throughNeon(neonWsProxy: string | undefined): neonWsProxy is string {
  if (!neonWsProxy) return false;
  setNeonWebSocket(WebSocket);
  configureNeonProxy(neonWsProxy);
  return true;
}

/** Applies migrations/ to DATABASE_URL the way this process reaches it. */
export function migrateFromNode(connectionString: string, neonWsProxy: string | undefined) {
  return throughNeon(neonWsProxy) ? migrateNeon(connectionString) : migrateNodePostgres(connectionString);
}

/** The process's one pool on DATABASE_URL, the way this process reaches it. */
export function nodeDatabase(connectionString: string, neonWsProxy: string | undefined, opts: { max?: number } = {}) {
  return throughNeon(neonWsProxy) ? sharedNeonProvider(connectionString, opts) : nodePostgresProvider(connectionString, opts);
}

/** Migrates DATABASE_URL, then opens the process's one pool on it. */
export async function openNodeDatabase(connectionString: string, neonWsProxy: string | undefined) {
  await migrateFromNode(connectionString, neonWsProxy);
  return nodeDatabase(connectionString, neonWsProxy);
}
