import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * Backup and restore for self-hosted and local installations (Node only).
 * Production on Neon uses Neon's branching and point-in-time restore instead (README).
 */
export async function dumpPgliteDataDir(dataDir: string, outFile: string) {
  const pg = new PGlite(dataDir);
  try {
    await pg.waitReady; // dumping before the instance is ready never resolves
    const blob = await pg.dumpDataDir('gzip');
    fs.mkdirSync(path.dirname(path.resolve(outFile)), { recursive: true });
    fs.writeFileSync(outFile, Buffer.from(await blob.arrayBuffer()));
  } finally {
    await pg.close();
  }
}

export async function restorePgliteDataDir(inFile: string, dataDir: string) {
  if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0) {
    throw new Error(`Refusing to restore into ${dataDir}: it is not empty (move it aside first).`);
  }
  const bytes = fs.readFileSync(inFile);
  const pg = new PGlite(dataDir, { loadDataDir: new Blob([bytes]) });
  await pg.waitReady;
  await pg.close();
}

function pgTool(bin: string | undefined, tool: string) {
  return bin ? path.join(bin, tool) : tool;
}

/** `pg_dump -Fc`: a consistent snapshot of a running PostgreSQL (plain TCP connection string). */
export function pgDump(url: string, outFile: string, bin?: string) {
  const r = spawnSync(pgTool(bin, 'pg_dump'), ['--format=custom', '--no-owner', '--file', outFile, url], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pg_dump failed: ${r.stderr}`);
}

export function pgRestore(url: string, inFile: string, bin?: string) {
  const r = spawnSync(pgTool(bin, 'pg_restore'), ['--no-owner', '--exit-on-error', '--dbname', url, inFile], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pg_restore failed: ${r.stderr}`);
}
