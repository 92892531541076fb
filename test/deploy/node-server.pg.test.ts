import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import readline from 'node:readline';
import pg from 'pg';
import { inject } from 'vitest';
import { buildNode } from '../../scripts/build-node';
import { freePort } from '../support/pg-cluster';
import { randomToken } from '../../src/lib/crypto';

/**
 * What a self-hosted Node deployment runs: `npm run build:node && npm run serve` with only
 * DATABASE_URL set, against an empty PostgreSQL and no WebSocket proxy. The server must migrate
 * the database at start, seed its demo, and answer over node-postgres.
 */
const name = `node_server_${randomToken(6).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
const admin = new pg.Pool({ connectionString: inject('pgAdminUrl'), max: 1 });
let child: ChildProcess;
let script: string;
let base: string;
let url: string;
const output: string[] = [];

beforeAll(async () => {
  await admin.query(`create database ${name}`);
  const u = new URL(inject('pgAdminUrl'));
  u.pathname = `/${name}`;
  url = u.toString();
  script = await buildNode('src/server.ts', '.tmp/test-node-server.mjs');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, APP_ENV: 'test', APP_URL: base, PORT: String(port), DATABASE_URL: url, DEMO_SEED: 'true' };
  child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  readline.createInterface({ input: child.stderr! }).on('line', (l) => output.push(l));
  const lines = readline.createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before it was ready:\n${output.join('\n')}`)));
    lines.on('line', (l) => {
      output.push(l);
      if (l.includes('is running at')) resolve();
    });
  });
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
  await admin.end();
});

describe('the compiled Node server on PostgreSQL over TCP', () => {
  it('says which database it runs on, and answers healthy through node-postgres', async () => {
    expect(output.join('\n')).toContain('database: postgres');
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: 'ok', runtime: 'postgres' });
  });

  it('does not load PGlite: the embedded database is a chunk of its own, imported only without DATABASE_URL', () => {
    const entry = fs.readFileSync(script, 'utf8');
    const staticImports = [...entry.matchAll(/^import\b[^;]*?from\s*"([^"]+)"/gms)].map((m) => m[1]!);
    expect(staticImports.some((s) => s.includes('chunks/'))).toBe(true);
    expect(staticImports.filter((s) => s.includes('pglite'))).toEqual([]);
    const lazy = [...entry.matchAll(/import\("([^"]+)"\)/g)].map((m) => m[1]!).filter((s) => s.includes('pglite'));
    expect(lazy).toHaveLength(1);
    expect(fs.readFileSync(new URL(lazy[0]!, `file://${script}`), 'utf8')).toContain('@electric-sql/pglite');
  });

  it('migrated the empty database at start and seeded the demo centre, whose public page it serves', async () => {
    const { rows } = await admin.query<{ n: number }>(`select count(*)::int as n from pg_database where datname = $1`, [name]);
    expect(rows[0]!.n).toBe(1);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const migrations = await db.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
      const journal = JSON.parse(fs.readFileSync('migrations/meta/_journal.json', 'utf8')) as { entries: unknown[] };
      expect(migrations.rows[0]!.n).toBe(journal.entries.length);
      const orgs = await db.query<{ slug: string }>(`select slug from organisations where slug = 'hai-phong'`);
      expect(orgs.rows).toHaveLength(1);
    } finally {
      await db.end();
    }
    const page = await fetch(`${base}/c/hai-phong`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Hải Phòng');
  });
});
