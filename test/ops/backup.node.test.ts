import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPglite } from '../../src/db/pglite';
import { seedDemo } from '../../src/demo/seed';
import { systemClock } from '../../src/lib/clock';
import { databaseFingerprint } from '../../src/ops/fingerprint';
import { dumpPgliteDataDir, restorePgliteDataDir } from '../../src/ops/backup';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sechia-backup-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('PGlite data-dir backup and restore', () => {
  it('restores every row and every total of the demo organisation', async () => {
    const dataDir = path.join(tmp, 'data');
    const original = await openPglite(dataDir);
    await seedDemo(original.db, systemClock);
    const before = await databaseFingerprint(original.db);
    await original.close();

    const file = path.join(tmp, 'backup.tar.gz');
    await dumpPgliteDataDir(dataDir, file);
    expect(fs.statSync(file).size).toBeGreaterThan(1000);

    const restoredDir = path.join(tmp, 'restored');
    await restorePgliteDataDir(file, restoredDir);
    const restored = await openPglite(restoredDir);
    const after = await databaseFingerprint(restored.db);
    await restored.close();
    expect(Object.keys(before).length).toBeGreaterThan(10);
    expect(after).toEqual(before);
    await expect(restorePgliteDataDir(file, restoredDir)).rejects.toThrow(/not empty/);
  });
});
