import type { TestProject } from 'vitest/node';
import { createRequire } from 'node:module';
import { Pool, neonConfig } from '@neondatabase/serverless';
import { startWsProxy } from '../../scripts/ws-proxy';
import { startThrowawayCluster } from './pg-cluster';
import { migrateNeon } from '../../src/db/migrate-neon';
import { configureNeonProxy } from '../../src/db/neon';

/**
 * One PostgreSQL for the run (a throwaway cluster unless TEST_DATABASE_URL is given), one
 * WebSocket proxy in front of it, and a migrated template database each test file clones.
 * Shared by the `postgres`, `workerd` and `browser` projects through a process-wide singleton.
 */
interface Shared {
  adminUrl: string;
  workerUrl: string;
  templateDb: string;
  proxy: string;
  stop: () => Promise<void>;
  users: number;
}

const KEY = Symbol.for('sechia.test.postgres');
type G = typeof globalThis & { [KEY]?: Promise<Shared> };

async function start(): Promise<Shared> {
  neonConfig.webSocketConstructor = createRequire(import.meta.url)('ws') as typeof globalThis.WebSocket;
  const cluster = process.env.TEST_DATABASE_URL ? null : await startThrowawayCluster();
  const adminUrl = process.env.TEST_DATABASE_URL ?? cluster!.url;
  const proxy = await startWsProxy();
  configureNeonProxy(proxy.proxy);
  const templateDb = `sechia_tpl_${process.pid}_${Date.now().toString(36)}`;
  const admin = new Pool({ connectionString: adminUrl, max: 1 });
  await admin.query(`create database ${templateDb}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${templateDb}`;
  await migrateNeon(u.toString());
  // A migrated database for the real Worker entry point (workerd project bindings).
  const workerDb = `sechia_worker_${process.pid}_${Date.now().toString(36)}`;
  const admin2 = new Pool({ connectionString: adminUrl, max: 1 });
  await admin2.query(`create database ${workerDb} template ${templateDb}`);
  await admin2.end();
  const w = new URL(adminUrl);
  w.pathname = `/${workerDb}`;
  return {
    adminUrl,
    workerUrl: w.toString(),
    templateDb,
    proxy: proxy.proxy,
    users: 0,
    async stop() {
      await proxy.close();
      if (cluster) cluster.stop();
      else {
        const a = new Pool({ connectionString: adminUrl, max: 1 });
        await a.query(`drop database if exists ${templateDb}`).catch(() => {});
        await a.query(`drop database if exists ${workerDb} with (force)`).catch(() => {});
        await a.end();
      }
    },
  };
}

export default async function setup(project: TestProject) {
  const g = globalThis as G;
  g[KEY] ??= start();
  const shared = await g[KEY]!;
  shared.users++;
  project.provide('pgAdminUrl', shared.adminUrl);
  project.provide('pgWorkerUrl', shared.workerUrl);
  project.provide('pgTemplateDb', shared.templateDb);
  project.provide('pgProxy', shared.proxy);
  return async () => {
    shared.users--;
    if (shared.users === 0) {
      delete g[KEY];
      await shared.stop();
    }
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgWorkerUrl: string;
    pgTemplateDb: string;
    pgProxy: string;
    dbKind: 'pglite' | 'postgres' | 'node-postgres' | 'workerd';
  }
}
