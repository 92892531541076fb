import { inject } from 'vitest';
import { parseConfig, type Config } from '../../src/config/config';
import { createApp, type App } from '../../src/app';
import { depsFromConfig } from '../../src/deps';
import type { AppDeps } from '../../src/http/env';
import type { DatabaseProvider, Db } from '../../src/db/types';
import { configureNeonProxy, neonDb, neonProvider } from '../../src/db/neon';
import { fixedClock } from '../../src/lib/clock';
import { memoryLogger } from '../../src/lib/log';
import { noMailer, type Mailer } from '../../src/mail/mailer';
import type { Payments } from '../../src/payments/stripe';
import { seedFoundation, type DemoFoundation } from '../../src/demo/seed';
import { sessions, type Role } from '../../src/db/schema';
import { randomToken, sha256Hex } from '../../src/lib/crypto';
import { SESSION_COOKIE } from '../../src/http/middleware';
import { logSink } from './log-sink';

export type DbKind = 'pglite' | 'postgres' | 'node-postgres' | 'workerd';
export const dbKind = (): DbKind => inject('dbKind');

/**
 * A fresh database per test file: in-memory PGlite, or a clone of the migrated template on the
 * test PostgreSQL (reached through the Neon driver, from Node or from inside workerd, or over TCP
 * with node-postgres as the Node server does).
 */
export async function openTestDatabase(): Promise<{ provider: DatabaseProvider; db: Db; close: () => Promise<void>; url?: string }> {
  const kind = dbKind();
  if (kind === 'pglite') {
    const { openPglite } = await import('../../src/db/pglite');
    const p = await openPglite();
    return { provider: p, db: p.db, close: () => p.close() };
  }
  if (kind === 'node-postgres') return openNodePostgresDatabase();
  const { Pool, neonConfig } = await import('@neondatabase/serverless');
  if (kind === 'postgres') {
    const ws = await import('ws');
    neonConfig.webSocketConstructor = ws.default as unknown as typeof WebSocket;
  }
  configureNeonProxy(inject('pgProxy'));
  const adminUrl = inject('pgAdminUrl');
  const admin = new Pool({ connectionString: adminUrl, max: 1 });
  admin.on('error', () => {});
  const { name, url } = await cloneTemplate(admin);
  const pool = new Pool({ connectionString: url, max: 20 });
  pool.on('error', () => {});
  return {
    url,
    provider: neonProvider(url),
    db: neonDb(pool),
    close: async () => {
      await pool.end();
      await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
      await admin.end();
    },
  };
}

/** A fresh database cloned from the migrated template, through whichever pool `admin` is. */
async function cloneTemplate(admin: { query(text: string): Promise<unknown> }) {
  const name = `t_${randomToken(9).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`create database ${name} template ${inject('pgTemplateDb')}`);
      break;
    } catch (err) {
      // Two files cloning the template at the same instant: Postgres asks the second to wait.
      if (attempt > 20 || !/being accessed by other users/.test(String(err))) throw err;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  const u = new URL(inject('pgAdminUrl'));
  u.pathname = `/${name}`;
  return { name, url: u.toString() };
}

/** The Node server's own path to a PostgreSQL (src/server.ts): node-postgres over TCP, no proxy. */
async function openNodePostgresDatabase() {
  const pg = (await import('pg')).default;
  const { nodePostgresProvider } = await import('../../src/db/node-postgres');
  const admin = new pg.Pool({ connectionString: inject('pgAdminUrl'), max: 1 });
  admin.on('error', () => {});
  const { name, url } = await cloneTemplate(admin);
  const provider = nodePostgresProvider(url, { max: 20 });
  return {
    url,
    provider,
    db: provider.db,
    close: async () => {
      await provider.close();
      await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
      await admin.end();
    },
  };
}

export interface HarnessOptions {
  now?: string;
  env?: Record<string, string>;
  mailer?: Mailer;
  payments?: Payments | null;
  seed?: boolean;
}

export interface Harness {
  kind: DbKind;
  app: App;
  deps: AppDeps;
  db: Db;
  config: Config;
  clock: ReturnType<typeof fixedClock>;
  logs: string[];
  demo: DemoFoundation;
  cookieFor(userId: string): Promise<string>;
  cookieForRole(role: Role | 'otherAdmin'): Promise<string>;
  /** A raw request to an absolute URL, with a Workers-like execution context. */
  fetch(url: string, init?: RequestInit): Promise<Response>;
  request(path: string, init?: RequestInit & { as?: Role | 'otherAdmin' | 'anonymous'; json?: unknown; form?: Record<string, string> }): Promise<Response>;
  close(): Promise<void>;
}

export async function createHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const database = await openTestDatabase();
  const config = parseConfig({ APP_ENV: 'test', APP_URL: 'http://localhost:8787', ...opts.env });
  const clock = fixedClock(opts.now ?? new Date().toISOString());
  const logger = memoryLogger();
  // Share the app's log lines with the suite-wide personal-data scan.
  const sink = logSink();
  const push = logger.lines.push.bind(logger.lines);
  logger.lines.push = (...items: string[]) => {
    sink.push(...items);
    return push(...items);
  };
  const deps = depsFromConfig(config, database.provider, {
    clock,
    logger,
    mailer: opts.mailer ?? noMailer,
    payments: opts.payments ?? null,
  });
  const app = createApp(deps);
  const demo = opts.seed === false ? (undefined as unknown as DemoFoundation) : await seedFoundation(database.db);
  const cookies = new Map<string, string>();
  // Like Workers: deferred work (outbox, pool release) runs in waitUntil; the test waits for it.
  const fetchApp = async (url: string, init: RequestInit = {}) => {
    const waits: Promise<unknown>[] = [];
    const ctx = { waitUntil: (p: Promise<unknown>) => void waits.push(p), passThroughOnException() {}, props: {} };
    const res = await app.request(url, init, {}, ctx as never);
    await Promise.allSettled(waits);
    return res;
  };

  const cookieFor = async (userId: string) => {
    const cached = cookies.get(userId);
    if (cached) return cached;
    const token = randomToken();
    await database.db.insert(sessions).values({
      tokenHash: await sha256Hex(token),
      userId,
      expiresAt: new Date(clock.now().getTime() + 86_400_000),
    });
    const cookie = `${SESSION_COOKIE}=${token}`;
    cookies.set(userId, cookie);
    return cookie;
  };
  const cookieForRole = (role: Role | 'otherAdmin') => cookieFor(demo.users[role]!);

  return {
    kind: dbKind(),
    app,
    deps,
    db: database.db,
    config,
    clock,
    logs: logger.lines,
    demo,
    cookieFor,
    cookieForRole,
    fetch: fetchApp,
    async request(path, init = {}) {
      const headers = new Headers(init.headers);
      if (init.as && init.as !== 'anonymous') headers.set('cookie', await cookieForRole(init.as));
      let body = init.body;
      if (init.json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(init.json);
      }
      if (init.form) {
        headers.set('content-type', 'application/x-www-form-urlencoded');
        headers.set('origin', 'http://localhost:8787');
        body = new URLSearchParams(init.form).toString();
      }
      return fetchApp(`http://localhost:8787${path}`, { ...init, headers, body });
    },
    close: database.close,
  };
}
