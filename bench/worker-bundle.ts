import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { serveBundle } from '../test/support/workerd-bundle';
import { medianMs } from './lib';

/** Builds the Worker as deploy would, measures its gzip size, and times a cold start in workerd. */
export async function measureWorkerBundle() {
  const out = path.resolve('.tmp/bench-dist');
  fs.rmSync(out, { recursive: true, force: true });
  const r = spawnSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wrangler build failed: ${r.stderr}`);
  const file = path.join(out, 'worker.js');
  const raw = fs.readFileSync(file);
  const gzipBytes = zlib.gzipSync(raw, { level: 9 }).length;

  // Cold start: a new workerd process loads the bundle and answers its first request.
  const startup = await medianMs(5, () => coldStart(out));

  return {
    bundleBytes: raw.length,
    bundleGzipKiB: Math.round((gzipBytes / 1024) * 10) / 10,
    targetGzipKiB: 400,
    coldStartMs: startup.median,
    coldStartSamples: startup.samples,
    note: 'cold start = a new `workerd serve` process loading the minified bundle until its first HTTP response, median of 5',
  };
}

async function coldStart(dir: string) {
  const served = await serveBundle(dir, { APP_ENV: 'test', APP_URL: 'http://localhost:8787', DATABASE_URL: 'postgres://u:p@127.0.0.1:9/none' });
  served.stop();
  return served.startupMs;
}
