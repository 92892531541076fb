import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { Pool } from '@neondatabase/serverless';
import { openTestDatabase } from '../support/harness';
import { seedDemo } from '../../src/demo/seed';
import { systemClock } from '../../src/lib/clock';
import { databaseFingerprint } from '../../src/ops/fingerprint';
import { pgDump, pgRestore } from '../../src/ops/backup';
import { neonDb } from '../../src/db/neon';
import { findPgBin } from '../support/pg-cluster';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sechia-pgdump-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('pg_dump / pg_restore (self-hosted PostgreSQL)', () => {
  it('restores every row and every total into an empty database', async () => {
    const src = await openTestDatabase();
    await seedDemo(src.db, systemClock);
    const before = await databaseFingerprint(src.db);
    const file = path.join(tmp, 'sechia.dump');
    pgDump(src.url!, file, findPgBin());

    const admin = new Pool({ connectionString: inject('pgAdminUrl'), max: 1 });
    admin.on('error', () => {});
    const name = `restore_${Date.now()}`;
    await admin.query(`create database ${name}`);
    const u = new URL(inject('pgAdminUrl'));
    u.pathname = `/${name}`;
    pgRestore(u.toString(), file, findPgBin());
    const pool = new Pool({ connectionString: u.toString(), max: 2 });
    pool.on('error', () => {});
    const after = await databaseFingerprint(neonDb(pool));
    await pool.end();
    await admin.query(`drop database ${name} with (force)`);
    await admin.end();
    await src.close();
    expect(Object.keys(before).length).toBeGreaterThan(10);
    expect(after).toEqual(before);
  });
});
