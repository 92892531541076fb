import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { Pool } from '@neondatabase/serverless';
import { configureNeonProxy, neonDb, setNeonWebSocket } from '../src/db/neon';
import { migrateNeon } from '../src/db/migrate-neon';
import { openPglite } from '../src/db/pglite';
import type { Db } from '../src/db/types';
import { startWsProxy } from '../scripts/ws-proxy';
import { startThrowawayCluster } from '../test/support/pg-cluster';
import type { Exec } from './gen';

export interface BenchDatabase {
  kind: 'postgres' | 'pglite';
  db: Db;
  exec: Exec;
  /** How a server process reaches the same data. */
  serverEnv: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Real PostgreSQL through the production path: the Neon driver over the WebSocket proxy.
 * BENCH_DATABASE_URL (an empty database) or a throwaway cluster started for the run.
 */
export async function openBenchPostgres(): Promise<BenchDatabase> {
  // A throwaway cluster sized for the machine (24 GiB): the province fits in shared buffers,
  // no checkpoint in the middle of the load, a gigabyte per index rebuild, and no JIT (it spends
  // a second compiling each big INSERT…SELECT and report query; Neon's default is off too).
  const cluster = process.env.BENCH_DATABASE_URL
    ? null
    : await startThrowawayCluster([
        'shared_buffers=3GB',
        'max_wal_size=16GB',
        'checkpoint_timeout=30min',
        'maintenance_work_mem=1GB',
        'jit=off',
        // A working size for sorts and hashes that a production server of this size would have
        // (Postgres ships 4 MB; at scale 1 the report's one-year aggregates spill to disk below ~128 MB).
        'work_mem=128MB',
        // Storage is SSD and the working set is cached (Neon keeps it in its local file cache): the
        // 4.0 default prices a random page as a spinning disk seek and makes the planner hash a
        // million donations where 20,000 index look-ups do (PostgreSQL's own docs suggest 1.1).
        'random_page_cost=1.1',
        // BENCH_PG_SETTINGS=log_min_duration_statement=20 (comma-separated) for a look at slow statements;
        // the server log is then kept as .tmp/bench-postgres.log.
        ...(process.env.BENCH_PG_SETTINGS ? process.env.BENCH_PG_SETTINGS.split(',') : []),
      ]);
  if (cluster) {
    // An interrupted run must not leave a cluster with gigabytes of shared buffers behind.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => (cluster.stop(), process.exit(130)));
  }
  const url = process.env.BENCH_DATABASE_URL ?? cluster!.url;
  const proxy = await startWsProxy();
  setNeonWebSocket(WebSocket);
  configureNeonProxy(proxy.proxy);
  await migrateNeon(url);
  const pool = new Pool({ connectionString: url, max: Number(process.env.BENCH_POOL_MAX ?? 4) });
  pool.on('error', () => {});
  return {
    kind: 'postgres',
    db: neonDb(pool),
    exec: (text) => pool.query(text) as unknown as Promise<{ rows: Record<string, unknown>[] }>,
    serverEnv: { BENCH_DATABASE_URL: url, NEON_WS_PROXY: proxy.proxy },
    async close() {
      await pool.end();
      await proxy.close();
      if (cluster && process.env.BENCH_PG_SETTINGS) fs.copyFileSync(path.join(cluster.dir, 'server.log'), '.tmp/bench-postgres.log');
      cluster?.stop();
    },
  };
}

/** PGlite persisted in a temporary directory, so a server process can open the same data afterwards. */
export async function openBenchPglite(): Promise<BenchDatabase & { release(): Promise<void>; reopen(): Promise<void>; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sechia-bench-pglite-'));
  let p = await openPglite(dir);
  let closed = false;
  const handle = {
    kind: 'pglite' as const,
    dir,
    db: p.db,
    exec: (text: string) => p.client.query(text) as Promise<{ rows: Record<string, unknown>[] }>,
    serverEnv: { BENCH_PGLITE_DIR: dir },
    /** Closes the database so another process may open the directory (PGlite is single-process). */
    async release() {
      await p.close();
      closed = true;
    },
    async reopen() {
      p = await openPglite(dir);
      handle.db = p.db;
      closed = false;
    },
    async close() {
      if (!closed) await p.close().catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return handle;
}
